"""The apps import one way: core ← accounts ← notifications ← comments ← charta ← measures ←
portal. An app may import only the apps to its left (and itself); ``config`` wires them and is
imported by none of them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "accounts", "notifications", "comments", "charta", "measures", "portal"]
PROJECT_PACKAGES = {*LAYERS, "config"}


def _imported_packages(path: Path) -> set[tuple[str, int]]:
    """The project packages a module imports, with the line of each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add((alias.name.split(".")[0], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return {(name, line) for name, line in found if name in PROJECT_PACKAGES}


def _modules(app: str):
    return sorted((ROOT / app).rglob("*.py"))


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_apps_to_its_left(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules(app)
        for name, line in _imported_packages(path)
        if name not in allowed
    ]
    assert not wrong, "imports against the direction of the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", LAYERS)
def test_every_app_exists_with_its_architecture_note(app):
    init = ROOT / app / "__init__.py"
    assert init.exists()
    assert init.read_text(encoding="utf-8").strip(), f"{app}/__init__.py says what the app is"


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from portal import views\nimport charta.models\nimport os\n")
    assert {name for name, _line in _imported_packages(module)} == {"portal", "charta"}
