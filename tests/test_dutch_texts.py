"""Dutch texts: no English words or doubled stops in the catalog; JSON errors in Dutch;
percentages off a whole number show the difference."""

from __future__ import annotations

import json


def test_dutch_texts_without_english_or_doubled_stops():
    from intake_assistant.i18n import Message, translator
    from intake_assistant.loading import json_error

    nl = translator("nl")
    assert nl.render(Message("Answer the questions on financial difficulty for {name}.",
                             name="Ergozit B.V.")).endswith("Ergozit B.V.")
    saving = nl.render(Message(
        "The project saves {quantity} {unit} of raw material and {tonnes} tonnes of CO2 per "
        "year.", quantity="85", unit="t/jaar", tonnes="10"))
    assert "t/jaar per jaar" not in saving and "85 t/jaar" in saving
    ladder = nl.gettext("The R-ladder runs from R0 Refuse to R9 Recover. Higher on the ladder "
                        "(a lower number) saves more raw material.")
    assert "Weigeren" in ladder and "Terugwinnen" in ladder
    for text in ('{"a" 1}', '{"a": 1,}', "[1 2]", '"abc', "{} x", ""):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            shown = nl.render(json_error(exc))
            assert "Expecting" not in shown and "regel" in shown and "kolom" in shown


def test_a_share_just_off_a_whole_percentage_shows_the_difference():
    from intake_assistant.i18n import translator

    nl, en = translator("nl"), translator("en")
    assert [nl.percent(v) for v in (0.70004, 0.69996, 0.7, 0.705, 1 / 3)] == [
        "70,004%", "69,996%", "70%", "70,5%", "33,3%"]
    assert en.percent(0.7000001) == "70.0001%"  # rounded away from 70, never onto it
    assert en.percent(0.6999999) == "69.9999%"
