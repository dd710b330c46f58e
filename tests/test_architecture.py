"""The package layout is the architecture: these tests read every module's
imports (with `ast`, without running them) and fail when a subpackage reaches
where its `__init__` says it may not, or when modules import each other in a
cycle. Lazy imports inside functions count as imports."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "vnextract"

# Top-level helper modules every role may use.
HELPERS = {"vnextract.rules", "vnextract.folding", "vnextract.gazetteer", "vnextract.progress", "vnextract.workbooks"}

# Role → the roles (subpackages or top-level modules) its modules may import.
ALLOWED = {
    "vnextract.rules": set(),
    "vnextract.folding": set(),
    "vnextract.progress": set(),
    "vnextract.workbooks": set(),
    "vnextract.gazetteer": {"vnextract.rules", "vnextract.folding"},
    "vnextract.inputs": HELPERS,
    "vnextract.stages": HELPERS | {"vnextract.inputs"},
    "vnextract.outputs": HELPERS | {"vnextract.stages"},
    "vnextract.evaluation": HELPERS | {"vnextract.outputs"},
    "vnextract.pipeline": HELPERS | {"vnextract.inputs", "vnextract.stages"},
    "vnextract.batch": HELPERS
    | {"vnextract", "vnextract.inputs", "vnextract.stages", "vnextract.outputs", "vnextract.pipeline"},
    "vnextract.review": HELPERS
    | {"vnextract.inputs", "vnextract.stages", "vnextract.outputs", "vnextract.evaluation", "vnextract.pipeline"},
    "vnextract.learning": HELPERS | {"vnextract.inputs", "vnextract.stages", "vnextract.evaluation"},
    "vnextract.tracking": HELPERS
    | {"vnextract.inputs", "vnextract.outputs", "vnextract.evaluation", "vnextract.pipeline"},
}
# The public API and the command line sit on top: they may import any role.
ON_TOP = {"vnextract", "vnextract.cli", "vnextract.__main__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Internal modules imported by `name` (relative imports resolved; `from X import y`
    counts as importing `X.y` when that is a module)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "vnextract")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "vnextract":
                target = node.module
            else:
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    return {m for m in found if m in known and m != name}


def _role(module: str) -> str:
    """The subpackage (or top-level module) a module belongs to."""
    parts = module.split(".")
    return ".".join(parts[:2])


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_every_role_imports_only_what_its_package_allows(graph):
    broken = []
    for module, targets in graph.items():
        role = _role(module)
        if module in ON_TOP:
            continue
        assert role in ALLOWED, f"{module}: a new role; say in ALLOWED what it may import"
        for target in targets:
            target_role = _role(target)
            if target_role != role and target_role not in ALLOWED[role]:
                broken.append(f"{module} imports {target}")
    assert not broken, "\n".join(broken)


def test_no_import_cycles(graph):
    # Depth-first search with colours; a grey node reached again closes a cycle.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt == "vnextract" or nxt.endswith(".__init__"):
                continue  # the package facade loads its parts lazily, on attribute access
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_the_top_level_holds_at_most_eight_modules():
    top = sorted(p.name for p in PACKAGE_DIR.glob("*.py"))
    assert len(top) <= 8, top


def test_every_subpackage_says_what_it_may_import():
    for init in sorted(PACKAGE_DIR.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"{init}: say what the package does and what it may import"


def test_the_import_reader_sees_a_forbidden_import(tmp_path):
    # The checker itself: a stage that imports the batch engine is caught.
    fake = tmp_path / "vnextract" / "stages"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from ..batch import run\nfrom . import good\n")
    known = {"vnextract.stages.bad", "vnextract.stages.good", "vnextract.batch", "vnextract.batch.run"}
    global PACKAGE_DIR
    saved, PACKAGE_DIR = PACKAGE_DIR, tmp_path / "vnextract"
    try:
        found = _imports("vnextract.stages.bad", fake / "bad.py", known)
    finally:
        PACKAGE_DIR = saved
    assert found == {"vnextract.batch", "vnextract.batch.run", "vnextract.stages.good"}
    assert _role("vnextract.batch.run") not in ALLOWED["vnextract.stages"]
