"""A visitor who uses the keyboard alone: Tab to each field, type, arrows and Space for
options, Enter on the button; never a click."""

from __future__ import annotations

from typing import Any

_ACTIVE = """() => { const e = document.activeElement;
  return {name: e.name || '', type: e.type || '', tag: e.tagName, value: e.value || '',
          checked: !!e.checked, href: e.getAttribute('href') || '',
          submit: e.type === 'submit' && !!e.closest('form.intake-form'),
          options: e.type === 'radio' ? [...e.form.querySelectorAll(
            'input[type=radio][name="' + CSS.escape(e.name) + '"]')].map(o => o.value) : [],
          chosen: e.type === 'radio' ? [...e.form.querySelectorAll(
            'input[type=radio][name="' + CSS.escape(e.name) + '"]')].findIndex(o => o.checked)
            : -1};
}"""


def active(page: Any) -> dict[str, Any]:
    return page.evaluate(_ACTIVE)


def answer_screen(page: Any, answers: dict[str, Any], max_tabs: int = 200) -> None:
    """Give this screen's answers by keyboard and send it (Enter on its button)."""
    done: set[str] = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        now = active(page)
        if now["submit"]:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        name = now["name"]
        if name not in answers or (name in done and now["type"] != "checkbox"):
            continue
        want = answers[name]
        if now["type"] in ("text", "textarea"):
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.type(str(want))
        elif now["type"] == "radio":
            target = now["options"].index(want)
            if now["chosen"] < 0:  # nothing chosen: the first option has the focus
                if target == 0:
                    page.keyboard.press("Space")
                for _step in range(target):
                    page.keyboard.press("ArrowDown")
            else:
                step = "ArrowDown" if target > now["chosen"] else "ArrowUp"
                for _step in range(abs(target - now["chosen"])):
                    page.keyboard.press(step)
        elif now["type"] == "checkbox":
            if (now["value"] in want) != now["checked"]:
                page.keyboard.press("Space")
        done.add(name)
    raise AssertionError(f"no button reached by Tab on {page.url}")


def follow_link(page: Any, href: str, max_tabs: int = 200) -> None:
    """Tab to the link to ``href`` and press Enter on it."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if active(page)["href"] == href:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"no link to {href} reached by Tab on {page.url}")
