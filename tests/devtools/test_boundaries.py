"""devtools holds tools for working on the portal: nothing of the product may import it."""

import ast
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
NOT_THE_PRODUCT = {"devtools", "tests", ".venv", "scripts", "staticfiles", "media"}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_no_module_of_the_product_imports_devtools():
    sources = [
        path
        for path in PROJECT_DIR.rglob("*.py")
        if path.relative_to(PROJECT_DIR).parts[0] not in NOT_THE_PRODUCT
    ]

    assert len(sources) > 100
    assert PROJECT_DIR / "rvcu" / "settings" / "base.py" in sources
    offenders = [
        f"{path.relative_to(PROJECT_DIR)} imports {module}"
        for path in sources
        for module in imported_modules(path)
        if module == "devtools" or module.startswith("devtools.")
    ]
    assert offenders == []


def test_devtools_is_installed_and_holds_no_model():
    from django.apps import apps

    assert "devtools" in settings.INSTALLED_APPS
    assert list(apps.get_app_config("devtools").get_models()) == []
