"""The dependency rule of the README's layout section, checked on every module's imports.

core ← documents ← regions ← knowledge ← plans, and regions ← pricing, with samverkan
(the project: settings, urls, pages of its own) on top. An app may import the packages
below it and none above; no two modules may import each other, directly or around a
circle, function-level imports included.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW = {
    "core": set(),
    "documents": {"core"},
    "regions": {"core", "documents"},
    "knowledge": {"core", "documents", "regions"},
    "plans": {"core", "documents", "regions", "knowledge"},
    "pricing": {"core", "documents", "regions"},
    "samverkan": {"core", "documents", "regions", "knowledge", "plans", "pricing"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every project module the file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return {name for name in found if name.split(".")[0] in BELOW}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for package in BELOW for p in (ROOT / package).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        # `from pricing import services` names the module pricing.services: keep the
        # longest name that is a module of the tree.
        targets = set()
        for imported in _imports(path):
            while imported not in files and "." in imported:
                imported = imported.rsplit(".", 1)[0]
            if imported in files and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_every_app_imports_only_the_packages_below_it():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if (package := module.split(".")[0]) != (other := target.split(".")[0])
        and other not in BELOW[package]
    )
    assert wrong == []


def test_no_modules_import_each_other_around_a_circle():
    graph = _graph()
    # Tarjan's strongly connected components: a component of more than one module is a circle.
    index, low, stack, on_stack, circles, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_the_rule_is_the_one_the_readme_states():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "core ← documents ← regions ← knowledge ← plans" in readme
    assert "regions ← pricing" in readme
