"""Imports run one way: the import graph of intake_assistant has no cycle.

Every import counts, the lazy ones inside functions too (a lazy import back up is still a
knot a newcomer has to untie); imports under ``if TYPE_CHECKING:`` are for typing only and
never run, so they are left out. An edge goes to the module named (``from a.b import c``
goes to ``a.b.c`` when that is a module, else to ``a.b``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "intake_assistant"


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    names = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, *, typing_too: bool = False) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if not typing_too and isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path = PACKAGE, *, typing_too: bool = False) -> dict[str, set[str]]:
    """Module -> the project modules it imports, at the top or inside functions (and, with
    ``typing_too``, under ``if TYPE_CHECKING:``)."""
    names = module_names(root)
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), typing_too=typing_too):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                           for alias in node.names]
            for target in targets:
                while target and target not in names:  # `import a.b.c` names a module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first module repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return [*path[path.index(target):], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_import_graph_of_intake_assistant_has_no_cycle() -> None:
    graph = import_graph()
    # The graph must really hold the lazy imports and the UI, or the test proves nothing.
    assert "intake_assistant.service.open_intake" in graph["intake_assistant.tui.app"]
    assert "intake_assistant.flow.session" in graph["intake_assistant.service.open_intake"]
    assert "intake_assistant.tui.screens.start" in graph["intake_assistant.tui.app"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_below_the_ui_not_even_type_only_imports_make_a_cycle() -> None:
    """A type named under ``TYPE_CHECKING`` is still a knot to untie below the UI (the UI's
    screens may name the App they belong to; nothing below it needs to)."""
    graph = import_graph(typing_too=True)
    below = {name: {t for t in targets if not t.startswith("intake_assistant.tui")}
             for name, targets in graph.items() if not name.startswith("intake_assistant.tui")}
    # The graph must hold the type-only imports, or the test proves nothing.
    assert "intake_assistant.rules.criteria.context" in below[
        "intake_assistant.rules.criteria.partnership"]
    cycle = find_cycle(below)
    assert cycle is None, "import cycle (type-only imports included): " + " -> ".join(cycle or [])


def test_screens_and_widgets_never_import_the_app() -> None:
    graph = import_graph()
    below = [name for name in graph if name.startswith(("intake_assistant.tui.screens",
                                                        "intake_assistant.tui.widgets"))]
    assert len(below) >= 8
    for name in below:
        assert "intake_assistant.tui.app" not in graph[name], name
        if name.startswith("intake_assistant.tui.widgets"):
            assert not any(t.startswith("intake_assistant.tui.screens") for t in graph[name]), name


def test_a_cycle_is_found_lazy_imports_included_and_type_checking_left_out(tmp_path) -> None:
    pkg = tmp_path / "intake_assistant"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from intake_assistant.sub import b\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from intake_assistant import a\n")
    assert find_cycle(import_graph(pkg)) is None
    assert find_cycle(import_graph(pkg, typing_too=True)) == [
        "intake_assistant.a", "intake_assistant.sub.b", "intake_assistant.a"]
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    assert find_cycle(import_graph(pkg)) == ["intake_assistant.a", "intake_assistant.sub.b",
                                             "intake_assistant.a"]
