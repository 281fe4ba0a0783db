"""The package layout stays readable: no import circles, no private names
crossing module borders."""
import ast
from pathlib import Path

from bot.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "bot"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    """(module imported, names taken) for each import of a bot module, also inside functions
    (an import deferred to break a circle is still a circle)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bot"):
                    yield alias.name, []


def import_graph() -> dict:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module, names in imports(path):
            targets |= {f"{module}.{n}" for n in names if f"{module}.{n}" in modules} or {module}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycle_from(graph: dict):
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return trail + [node, nxt]
            if nxt not in state:
                found = visit(nxt, trail + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [])
            if found:
                return found
    return None


def test_no_module_of_the_package_imports_itself_through_others():
    assert cycle_from(import_graph()) is None
    assert cycle_from({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]  # the check sees one


def test_no_private_name_is_imported_from_another_module():
    crossing = [f"{module_name(p)}: {module}.{name}"
                for p in PACKAGE.rglob("*.py") for module, names in imports(p)
                for name in names if name.startswith("_")]
    assert crossing == []


def test_the_benchmarks_never_import_the_tests():
    """Tests may use the benchmarks' evaluation code and servers, not the other way round."""
    bench = PROJECT_ROOT / "bench"
    found = []
    for path in bench.rglob("*.py"):
        if ".runs" in path.parts or ".models" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in names if n.split(".")[0] == "tests"]
    assert found == []
