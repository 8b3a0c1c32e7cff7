"""Languages, gettext catalogs and locale-aware formatting.

Every user-facing text goes through this module. Texts are English message ids; the Dutch
and English catalogs live in ``locales/<lang>/LC_MESSAGES/<domain>.mo``, one domain per layer
(rules, cli, flow, tui, web) so that the layers' catalogs can be maintained independently. At run
time all domains of a language are merged into one translation.

Two ways to translate:

* ``_("text {name}", name=...)`` translates now, in the current language (one per process,
  set by the entry point or the app).
* ``Message("text {amount}", amount=Money(20000))`` is a lazy message: it is built where the
  language is not known yet (the rules) and rendered later with ``Translator.render``.

A text with a count has a singular and a plural id, and the catalog's plural forms choose:
``ngettext("{count} day", "{count} days", n, count=n)`` now, ``Plural("{count} day",
"{count} days", "count", count=n)`` lazily.

Parameters are formatted for the language: ``Money`` as ``€ 20.000,00`` (nl) or
``€20,000.00`` (en), ``Percent``, ``Day`` (dates), ``Number``; nested ``Message``s are
rendered too.
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from intake_assistant.records import Record

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAINS: tuple[str, ...] = ("rules", "cli", "flow", "tui", "web")

# babel locale per product language; en_GB would write "31 Aug 2022", en_US is the common
# English the catalogs are written in.
_BABEL_LOCALE = {"nl": "nl_NL", "en": "en_US"}

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Folder ``dialogs`` or ``locales``: inside the installed wheel, else at the repo root."""
    packaged = _PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


def N_(msgid: str) -> str:
    """Mark a text for extraction without translating it (translated where it is shown)."""
    return msgid


class Money(Record):
    """An amount in euros, shown with the language's separators and the euro sign; ``whole``:
    without cents where it has none (a bound: "€ 1.000.000.000.000")."""

    __slots__ = ("amount", "whole")

    def __init__(self, amount: float | int | Decimal, whole: bool = False) -> None:
        self.amount = amount
        self.whole = whole


class Number(Record):
    """A plain number (staff units, hours, tonnes), shown with the language's separators."""

    __slots__ = ("value",)

    def __init__(self, value: float | int | Decimal) -> None:
        self.value = value


class Percent(Record):
    """A fraction (0.7) shown as a percentage (70 %)."""

    __slots__ = ("fraction",)

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction


def percent_shown(fraction: float) -> Decimal:
    """The fraction rounded as a percentage is shown (see ``Translator.percent``): one decimal
    of a percent, more where one would make it look a whole percentage it is not."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN

    value = Decimal(repr(float(fraction)))
    whole = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    for places in ("0.001", "0.0001", "0.00001"):
        shown = value.quantize(Decimal(places), rounding=ROUND_HALF_EVEN)
        if shown != whole or value == whole:
            return shown.normalize()
    # still the whole percentage at four decimals: round away from it, to the side it is on
    return value.quantize(Decimal("0.000001"),
                          rounding=ROUND_CEILING if value > whole else ROUND_FLOOR).normalize()


class Day(Record):
    """A calendar date shown in the language's medium format."""

    __slots__ = ("value",)

    def __init__(self, value: _dt.date) -> None:
        self.value = value


class Message:
    """A lazy, translatable message: an English message id and its named parameters.

    A plain slotted class rather than a frozen dataclass: the rules build tens of these per
    draft, and a batch ``check`` builds them by the hundred thousand.
    """

    __slots__ = ("_hash", "msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params: Mapping[str, Any] = params
        self._hash: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message) or other.msgid != self.msgid:
            return False
        mine, theirs = self.params, other.params
        if type(mine) is dict and type(theirs) is dict:  # as made by __init__: no copies
            return mine == theirs
        return dict(theirs) == dict(mine)

    def __hash__(self) -> int:
        # By the parameters too: a batch's render cache holds thousands of messages of one
        # msgid inside others (a name, an amount); hashed by the msgid alone they would all
        # fall in one chain of the table, each lookup comparing them one by one.
        # Kept once made: a message inside others (a cost line in a list of them) is hashed
        # with each of them, and again when it is rendered itself. A message is not changed
        # once made (its parameters are the rules' values).
        made = self._hash
        if made is None:
            try:
                made = hash((self.msgid, frozenset(self.params.items())))
            except TypeError:  # a parameter that cannot be hashed (a list): equal ones still are
                made = hash(self.msgid)
            self._hash = made
        return made

    def __repr__(self) -> str:  # readable in test failures
        return f"Message({self.msgid!r}, {dict(self.params)!r})"


class Plural(Message):
    """A lazy message with a count: the catalog's plural forms (ngettext) choose between the
    singular id ``msgid`` and ``plural`` by the parameter named ``count`` (a whole number, or a
    ``Number`` of one). A subclass, so that a ``Message`` without a count pays nothing for it."""

    __slots__ = ("count", "plural")

    def __init__(self, msgid: str, plural: str, count: str, /, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.plural = plural
        self.count = count

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Plural) and other.plural == self.plural
                and other.count == self.count and super().__eq__(other))

    __hash__ = Message.__hash__

    def __repr__(self) -> str:
        return f"Plural({self.msgid!r}, {self.plural!r}, {self.count!r}, {dict(self.params)!r})"


def plural_n(count: Any) -> int:
    """``count`` as gettext's plural formulas take it: a whole number. A fraction reads as a
    plural in Dutch and English alike ("1,5 jaar", "1.5 years"): it is given as 2."""
    value = count.value if isinstance(count, Number) else count
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"a plural's count must be a number, not {type(value).__name__}")
    if isinstance(value, int):
        return value
    return int(value) if value == int(value) else 2


def one_full_stop(text: str, values: Mapping[str, Any]) -> str:
    """``text`` (with placeholders) made ready for ``values``: "... van Ergozit B.V." and not
    "B.V..", as a value that ends the sentence with its own full stop takes the place of the
    text's."""
    for name, value in values.items():
        if str(value).endswith(".") and "{" + name + "}." in text:
            text = text.replace("{" + name + "}.", "{" + name + "}")
    return text


class Joined(Record):
    """Several messages shown as one text, separated by ``sep`` (e.g. a list of names)."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: tuple[Any, ...], sep: str = ", ") -> None:
        self.parts = parts
        self.sep = sep


class Translator:
    """Translation and formatting for one language."""

    def __init__(self, language: str, like: Translator | None = None) -> None:
        """``like``: a translator of the same language whose catalog this one reads too (a
        catalog is read from its files once)."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self.locale = _BABEL_LOCALE[language]
        self._catalog = (like._catalog if like is not None and like.language == language
                         else _load_catalog(language))
        self._locale_obj = None
        self._formatted: dict[tuple[str, Any], str] = {}
        self._rendered: dict[tuple[Any, ...], str] = {}

    def gettext(self, msgid: str) -> str:
        return self._catalog.gettext(msgid)

    def __call__(self, msgid: str, /, **params: Any) -> str:
        return self._filled(msgid, params)

    def ngettext(self, msgid: str, plural: str, n: Any, /, **params: Any) -> str:
        """The singular or the plural text as the catalog's plural forms choose for ``n``,
        filled in."""
        return self._plural_filled(msgid, plural, n, params)

    def _plural_filled(self, msgid: str, plural: str, n: Any, params: Mapping[str, Any]) -> str:
        return self._fill(self._catalog.ngettext(msgid, plural, plural_n(n)), params)

    def _filled(self, msgid: str, params: Mapping[str, Any]) -> str:
        text = self._catalog.gettext(msgid)
        return self._fill(text, params) if params else text

    def _fill(self, text: str, params: Mapping[str, Any]) -> str:
        """``text`` (a catalog's) with its placeholders filled in by ``params``, formatted."""
        format_value = self.format_value
        filled = {k: format_value(v) for k, v in params.items()}
        # one_full_stop, asked only where a value ends with a full stop (a firm's "B.V.")
        for value in filled.values():
            if value.endswith("."):
                return one_full_stop(text, filled).format_map(filled)
        return text.format_map(filled)

    def _made(self, message: Message) -> str:
        """The text of ``message``, made (not taken from the texts rendered before)."""
        params = message.params
        if type(message) is Plural:
            return self._plural_filled(message.msgid, message.plural, params[message.count],
                                       params)
        return self._filled(message.msgid, params)

    def render(self, message: Message | str) -> str:
        if isinstance(message, str):
            return self._catalog.gettext(message)
        # The same messages recur in every draft of a batch (a criterion's pass, a name with
        # the same figure): each is rendered once. Keyed by the parameters and their types
        # (True and 1 are equal, but read "yes" and "1").
        params = message.params
        key = (message.msgid, *params.items(), *map(type, params.values()))
        try:
            text = self._rendered.get(key)  # a miss is common (a name): no KeyError raised
        except TypeError:  # a parameter that cannot be a key: rendered each time
            return self._made(message)
        if text is not None:
            return text
        if len(self._rendered) > 20_000:  # bounded: a long batch must not grow forever
            self._rendered.clear()
        # The key holds the count (a parameter), so a plural's text is kept like any other;
        # a Plural and a Message never share an id (a catalog has one entry per id).
        text = self._rendered[key] = self._made(message)
        return text

    def format_value(self, value: Any) -> str:
        if type(value) is str:  # the most common (a name, a code): as it is
            return value
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, Money):
            return self.money_whole(value.amount) if value.whole else self.money(value.amount)
        if isinstance(value, Percent):
            return self.percent(value.fraction)
        if isinstance(value, Day):
            return self.date(value.value)
        if isinstance(value, Number):
            return self.number(value.value)
        if isinstance(value, Joined):
            return value.sep.join(self.format_value(p) for p in value.parts)
        if isinstance(value, bool):
            return self.gettext(N_("yes") if value else N_("no"))
        if isinstance(value, int | float | Decimal):
            return self.number(value)
        if isinstance(value, _dt.date):
            return self.date(value)
        return str(value)

    # Formatting. babel is imported lazily: `check` pays for babel.numbers only, and only
    # when a message needs a number. Results are memoised per translator: the same amounts
    # and dates recur across findings and drafts, and babel's formatting is the hot path of a
    # batch `check`.
    def _babel_locale(self):  # type: ignore[no-untyped-def]
        if self._locale_obj is None:
            from babel import Locale

            self._locale_obj = Locale.parse(self.locale)
        return self._locale_obj

    def _memo(self, kind: str, value: Any, make: Any) -> str:
        if value == 0 and type(value) is not int:
            # -0.0 (a draft may write it where 0 or more is asked) is 0: babel would write
            # "-€ 0,00", and as -0.0 == 0.0 the text kept would be whichever came first, so
            # that a file's text would depend on the files checked before it.
            value = abs(value)
        key = (kind, value)
        try:
            return self._formatted[key]
        except KeyError:
            if len(self._formatted) > 50_000:  # bounded: a long batch must not grow forever
                self._formatted.clear()
            try:
                text = make(value)
            except (ArithmeticError, ValueError):
                # babel formats through decimal at 28 digits: 1e25 and more, infinity and NaN
                # raise. The models bound every figure of a draft far below that; should one
                # still get here, it is shown as a plain number rather than stop the program.
                text = f"{value:.6g}" if isinstance(value, int | float | Decimal) else str(value)
            self._formatted[key] = text
            return text

    def money(self, amount: float | int | Decimal) -> str:
        return self._memo("money", amount, self._format("money"))

    def money_whole(self, amount: float | int | Decimal) -> str:
        """Money without cents where it has none (a threshold in a text: "€ 20.000")."""
        return self._memo("money_whole", amount, self._format("money_whole"))

    def number(self, value: float | int | Decimal) -> str:
        return self._memo("number", value, self._format("number"))

    def percent(self, fraction: float) -> str:
        """One decimal at most, unless that would show a whole percentage the value is not:
        70.004 % must not read "70 %" (it is above a 70 % limit); then as many decimals as
        show the difference (at most four, rounded away from the whole number)."""
        return self._memo("percent", fraction, self._format("percent"))

    def date(self, value: _dt.date) -> str:
        return self._memo("date", value, self._format("date"))

    def _format(self, kind: str) -> Callable[[Any], str]:
        """How ``kind`` (money, money_whole, number, percent, date) is written: babel's
        function for the first values, ``plain_formats``'s where it has one once a batch
        shows that many values are written (checking it against babel costs more than a
        single draft's few values)."""
        key = (self.locale, kind)
        made = _FORMATS.get(key)
        if made is not None:
            return made
        formats = _BABEL_FORMATS.get(key)
        if formats is None:
            formats = _BABEL_FORMATS[key] = _formats_of(kind, self._babel_locale())
        uses = _USES[key] = _USES.get(key, 0) + 1
        babel, plain = formats
        if uses < _PLAIN_AFTER:
            return babel
        made = _FORMATS[key] = plain() or babel
        return made


#: The formats of each locale (``Translator._format``), by locale and kind: the one in use
#: once settled, babel's with a maker of the plain one, and how often babel's was asked for.
_FORMATS: dict[tuple[str, str], Callable[[Any], str]] = {}
_BABEL_FORMATS: dict[tuple[str, str], tuple[Callable[[Any], str],
                                            Callable[[], Callable[[Any], str] | None]]] = {}
_USES: dict[tuple[str, str], int] = {}
_PLAIN_AFTER = 50


def _formats_of(kind: str, locale: Any) -> tuple[Callable[[Any], str],
                                                 Callable[[], Callable[[Any], str] | None]]:
    """How ``kind`` is written in ``locale``: babel's function, and a maker of the one
    ``plain_formats`` gives for it (``None`` where the pattern is not a plain one)."""
    # plain_formats is imported by the makers: a single check never takes the plain formats.
    if kind == "date":
        from babel.dates import format_date  # only where a date is written

        def babel_date(value: Any) -> str:
            return format_date(value, format="medium", locale=locale)

        return babel_date, lambda: _plain_formats().plain_date(babel_date)
    from babel.numbers import (
        format_currency,
        format_decimal,
        format_percent,
        get_currency_precision,
        parse_pattern,
    )

    if kind == "money":
        def babel_money(value: Any) -> str:
            return format_currency(value, "EUR", locale=locale)

        digits = get_currency_precision("EUR")
        return babel_money, lambda: _plain_formats().plain_format(
            locale.currency_formats["standard"], locale, babel_money, currency="EUR",
            frac_prec=(digits, digits))
    if kind == "money_whole":
        # The locale's own pattern without its decimals: "¤ #,##0.00" -> "¤ #,##0".
        whole = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")

        def babel_whole(value: Any) -> str:
            return format_currency(value, "EUR", locale=locale, currency_digits=False,
                                   format=whole)

        return babel_whole, lambda: _plain_formats().plain_format(
            parse_pattern(whole), locale, babel_whole, currency="EUR")
    if kind == "number":
        def babel_number(value: Any) -> str:
            return format_decimal(value, locale=locale)

        return babel_number, lambda: _plain_formats().plain_format(
            locale.decimal_formats[None], locale, babel_number)

    def babel_percent(value: Any) -> str:
        return format_percent(value, format=_PERCENT, locale=locale, decimal_quantization=False)

    def percent(fraction: Any) -> str:
        return babel_percent(percent_shown(fraction))

    def plain_percent() -> Callable[[Any], str] | None:
        shown = _plain_formats().plain_format(parse_pattern(_PERCENT), locale, babel_percent,
                                              quantize=False)
        return None if shown is None else lambda fraction: shown(percent_shown(fraction))

    return percent, plain_percent


_PERCENT = "#,##0.####%"


def _plain_formats() -> Any:
    from intake_assistant import plain_formats

    return plain_formats


def _load_catalog(language: str) -> _gettext.NullTranslations:
    folder = resource_dir("locales") / language / "LC_MESSAGES"
    catalog: _gettext.NullTranslations | None = None
    for domain in DOMAINS:
        path = folder / f"{domain}.mo"
        if not path.is_file():
            continue
        with path.open("rb") as fh:
            part = _gettext.GNUTranslations(fh)
        if catalog is None:
            catalog = part
        else:
            catalog.add_fallback(part)
    return catalog or _gettext.NullTranslations()


@cache
def translator(language: str) -> Translator:
    return Translator(language)


# The language of the person using the program: one per process (the command line's run, the
# terminal UI's session). A plain module value rather than a context variable, because Textual
# runs each widget in its own asyncio task with a copy of the context: a switch made in a key
# handler must reach every widget.
_current_language: str = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Make ``language`` the current language of ``_()`` and ``render()``."""
    global _current_language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _current_language = language


class _ThreadLanguage(threading.local):
    language: str | None = None


#: A language for one thread only (``language_on_this_thread``), over the process's.
_on_this_thread = _ThreadLanguage()


@contextmanager
def language_on_this_thread(language: str) -> Iterator[None]:
    """``_()`` and ``render()`` in ``language`` on this thread, for the block only: a worker
    thread of a server whose visitors speak both languages at once (the web intake on a team
    store) must not switch the language of the others."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    previous, _on_this_thread.language = _on_this_thread.language, language
    try:
        yield
    finally:
        _on_this_thread.language = previous


def get_language() -> str:
    return _on_this_thread.language or _current_language


def current_translator() -> Translator:
    return translator(get_language())


def _(msgid: str, /, **params: Any) -> str:
    """Translate ``msgid`` into the current language and fill in its parameters."""
    return translator(_on_this_thread.language or _current_language)(msgid, **params)


def ngettext(msgid: str, plural: str, n: Any, /, **params: Any) -> str:
    """``msgid`` or ``plural``, as the current language's plural forms choose for ``n``,
    translated and filled in."""
    return translator(_on_this_thread.language or _current_language).ngettext(
        msgid, plural, n, **params)


def render(message: Message | str) -> str:
    """A lazy message (or a message id) in the current language."""
    return translator(_on_this_thread.language or _current_language).render(message)
