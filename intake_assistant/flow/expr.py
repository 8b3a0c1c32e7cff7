"""A small, safe expression language for the conditions of the question flow.

Conditions are written by policy officers in the dialog files, for example::

    participant_chain_role == "other"
    facilitator_appointed == yes and tie_count > 0
    "product" in project_subject or not answered(project_title)

Grammar (no attribute access, no calls except the named functions, never ``eval``)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") operand)?
    operand := NUMBER | STRING | "yes" | "no" | "true" | "false"
             | NAME | "answered" "(" NAME ")" | "count" "(" NAME ")" | "(" expr ")"

Names are question ids. Evaluation is three-valued: an unanswered question is *unknown*
(``None``), a comparison with an unknown operand is unknown, and ``and``/``or``/``not``
follow Kleene's logic. A question is asked only when its condition is ``True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>"[^"]*"|'[^']*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\))
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "in"}
_CONSTANTS: dict[str, Any] = {"yes": True, "no": False, "true": True, "false": False}
_FUNCTIONS = ("answered", "count")


class ExpressionError(ValueError):
    """A condition that cannot be parsed; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Const:
    value: Any


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    name: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Node
    right: Node


Node = Const | Name | Call | Not | BoolOp | Compare


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"unexpected character {text[pos:].lstrip()[:1]!r} "
                                  f"at position {pos + 1}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "op"
        tokens.append((kind, value))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the condition ends too early")
        if value is not None and token[1] != value:
            raise ExpressionError(f"expected {value!r} but found {token[1]!r}")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("the condition is empty")
        node = self.or_()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.peek() == ("op", "or"):
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_(self) -> Node:
        parts = [self.not_()]
        while self.peek() == ("op", "and"):
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_(self) -> Node:
        if self.peek() == ("op", "not"):
            self.take()
            return Not(self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token is None or token[0] != "op" or token[1] in {"and", "or", ")"}:
            return left
        op = self.take()[1]
        if op == "not":
            self.take("in")
            op = "not in"
        if op not in {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}:
            raise ExpressionError(f"unexpected {op!r}")
        return Compare(op, left, self.operand())

    def operand(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            return Const(float(value) if "." in value else int(value))
        if kind == "string":
            return Const(value[1:-1])
        if kind == "name":
            if value in _CONSTANTS:
                return Const(_CONSTANTS[value])
            if value in _FUNCTIONS and self.peek() == ("op", "("):
                self.take("(")
                arg_kind, arg = self.take()
                if arg_kind != "name":
                    raise ExpressionError(f"{value}() takes a question id")
                self.take(")")
                return Call(value, arg)
            return Name(value)
        if value == "(":
            node = self.or_()
            self.take(")")
            return node
        raise ExpressionError(f"unexpected {value!r}")


def parse(text: str) -> Node:
    """Parse a condition; raises ``ExpressionError`` with a readable reason."""
    return _Parser(text).parse()


def names(node: Node) -> set[str]:
    """The question ids a condition refers to."""
    if isinstance(node, Name | Call):
        return {node.name}
    if isinstance(node, Not):
        return names(node.operand)
    if isinstance(node, BoolOp):
        return set().union(*(names(n) for n in node.operands))
    if isinstance(node, Compare):
        return names(node.left) | names(node.right)
    return set()


def literals_compared_with(node: Node) -> list[tuple[str, Any]]:
    """(question id, literal) pairs of ``id == literal`` style comparisons (for the lint)."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, Compare):
        pairs = [(node.left, node.right), (node.right, node.left)]
        for a, b in pairs:
            if isinstance(a, Name) and isinstance(b, Const):
                found.append((a.name, b.value))
    elif isinstance(node, Not):
        found += literals_compared_with(node.operand)
    elif isinstance(node, BoolOp):
        for n in node.operands:
            found += literals_compared_with(n)
    return found


Lookup = Callable[[str], Any]


def evaluate(node: Node, value_of: Lookup, count_of: Lookup | None = None) -> bool | None:
    """Evaluate ``node``; ``value_of(id)`` gives the stored answer or ``None``."""
    result = _eval(node, value_of, count_of)
    if result is None or isinstance(result, bool):
        return result
    return bool(result)


def _eval(node: Node, value_of: Lookup, count_of: Lookup | None) -> Any:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Name):
        return value_of(node.name)
    if isinstance(node, Call):
        if node.function == "answered":
            return value_of(node.name) is not None
        return count_of(node.name) if count_of else None
    if isinstance(node, Not):
        inner = _truth(_eval(node.operand, value_of, count_of))
        return None if inner is None else not inner
    if isinstance(node, BoolOp):
        values = [_truth(_eval(n, value_of, count_of)) for n in node.operands]
        if node.op == "and":
            if False in values:
                return False
            return None if None in values else True
        if True in values:
            return True
        return None if None in values else False
    left = _eval(node.left, value_of, count_of)
    right = _eval(node.right, value_of, count_of)
    return _compare(node.op, left, right)


def _truth(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _compare(op: str, left: Any, right: Any) -> bool | None:
    if op in {"in", "not in"}:
        if right is None or left is None:
            return None
        inside = left in right if isinstance(right, list | tuple | str) else left == right
        return inside if op == "in" else not inside
    if left is None or right is None:  # an unanswered question: unknown
        return None
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return None
