import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"


def addon_dirs():
    return sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


@pytest.fixture(scope="session")
def odoo_addons_dir():
    import os

    src = os.environ.get("ODOO_SRC")
    if not src:
        pytest.fail("ODOO_SRC is not set: run the checks through `make test`.")
    return Path(src) / "odoo" / "addons"
