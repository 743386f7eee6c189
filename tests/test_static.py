"""Suite-level static checks: manifests, XML, access rows and record rules."""

import csv
import re
from pathlib import Path

import pytest
from conftest import ADDONS, addon_dirs, read_manifest
from lxml import etree

ADDON_DIRS = addon_dirs()
ADDON_IDS = [p.name for p in ADDON_DIRS]
VERSION = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
LICENSES = {"AGPL-3", "LGPL-3"}


def test_there_are_addons():
    assert "ledd_base" in ADDON_IDS


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=ADDON_IDS)
def test_manifest_is_valid(addon, odoo_addons_dir):
    manifest = read_manifest(addon)
    assert VERSION.match(manifest["version"]), manifest["version"]
    assert manifest["license"] in LICENSES
    assert manifest.get("author")
    assert "description" not in manifest
    for dep in manifest.get("depends", []):
        assert (ADDONS / dep / "__manifest__.py").exists() or (odoo_addons_dir / dep / "__manifest__.py").exists(), (
            f"{addon.name} depends on {dep}, which exists neither in addons/ nor in Odoo"
        )
    for key in ("data", "demo"):
        for rel in manifest.get(key, []):
            assert (addon / rel).exists(), f"{addon.name}: {key} file {rel} is missing"
    assert (addon / "readme" / "DESCRIPTION.md").exists()


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=ADDON_IDS)
def test_every_xml_file_parses(addon):
    for path in addon.rglob("*.xml"):
        etree.parse(str(path))


def _model_names(addon):
    names = set()
    for path in (addon / "models").glob("*.py") if (addon / "models").exists() else []:
        names.update(re.findall(r'^\s+_name = "([\w.]+)"', path.read_text(), re.M))
    for sub in ("wizards", "wizard"):
        for path in (addon / sub).glob("*.py") if (addon / sub).exists() else []:
            for name in re.findall(r'^\s+_name = "([\w.]+)"', path.read_text(), re.M):
                names.add(name)
    return names


def _abstract_or_transient(addon, name):
    for path in addon.rglob("*.py"):
        text = path.read_text()
        # the class line, its docstring, then _name
        block = re.search(r"class \w+\(models\.(\w+)\):\n(?:.*\n){0,20}?\s+_name = \"%s\"" % re.escape(name), text)
        if block:
            return block.group(1) in ("AbstractModel", "TransientModel")
    return False


def _access_rows(addon):
    path = addon / "security" / "ir.model.access.csv"
    if not path.exists():
        return []
    with path.open() as fh:
        return list(csv.DictReader(fh))


def _xml_ids(addon):
    ids = set()
    for path in addon.rglob("*.xml"):
        for node in etree.parse(str(path)).iter():
            if node.get("id") and node.tag in ("record", "template", "menuitem"):
                ids.add(node.get("id"))
    return ids


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=ADDON_IDS)
def test_every_model_has_access_rows(addon):
    models_with_access = {row["model_id:id"].split(".")[-1] for row in _access_rows(addon)}
    for name in _model_names(addon):
        if _abstract_or_transient(addon, name) and name != "ledd.support.log":
            continue
        assert "model_" + name.replace(".", "_") in models_with_access, f"{name} has no access row"


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=ADDON_IDS)
def test_access_rows_and_rules_point_at_existing_things(addon):
    known_models = set()
    known_ids = {}
    for other in ADDON_DIRS:
        known_models |= {"model_" + n.replace(".", "_") for n in _model_names(other)}
        known_ids[other.name] = _xml_ids(other)
    depends = set(read_manifest(addon).get("depends", []))
    for row in _access_rows(addon):
        model_ref = row["model_id:id"]
        assert row["id"] and row["name"]
        for flag in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            assert row[flag] in ("0", "1")
        if "." not in model_ref:
            assert model_ref in known_models, f"{addon.name}: access row {row['id']} names unknown {model_ref}"
        group = row["group_id:id"]
        if group and "." not in group:
            assert group in known_ids[addon.name], f"{addon.name}: unknown group {group}"
        elif group:
            module = group.split(".")[0]
            assert module in depends or module in {"base"} or module == addon.name or module in known_ids
    for path in (addon / "security").glob("*.xml") if (addon / "security").exists() else []:
        for rule in etree.parse(str(path)).iterfind(".//record[@model='ir.rule']"):
            model = rule.find("field[@name='model_id']").get("ref")
            if "." not in model:
                assert model in known_models, f"{addon.name}: rule {rule.get('id')} names unknown {model}"
            perms = {f.get("name") for f in rule.iterfind("field") if f.get("name", "").startswith("perm_")}
            assert perms == {"perm_read", "perm_write", "perm_create", "perm_unlink"}, (
                f"{addon.name}: rule {rule.get('id')} must set every perm_* explicitly"
            )
            domain = rule.find("field[@name='domain_force']")
            assert domain is not None and domain.text.strip().startswith("[")


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=ADDON_IDS)
def test_translations_exist(addon):
    if not list(addon.rglob("*.py")) or addon.name in ("ledd",):
        return
    i18n = addon / "i18n"
    assert (i18n / f"{addon.name}.pot").exists(), f"{addon.name} has no .pot"
    nb = i18n / "nb.po"
    assert nb.exists(), f"{addon.name} has no nb.po"
    text = nb.read_text()
    empty = re.findall(r'msgstr ""\n\n', text + "\n")
    # the header is the only entry allowed an empty msgstr
    assert len(empty) <= 1, f"{addon.name}/i18n/nb.po has {len(empty) - 1} untranslated entries"


def test_no_machine_paths_in_the_project():
    """No file names this machine: the home folder or the folder the checkout sits in."""
    root = ADDONS.parent
    markers = {str(Path.home()) + "/", str(root.parent) + "/"}
    for path in list(root.rglob("*.py")) + list(root.rglob("*.xml")) + list(root.rglob("*.md")):
        if "node_modules" in path.parts:
            continue
        text = path.read_text(errors="ignore")
        for marker in markers:
            assert marker not in text, f"{path} holds a machine path ({marker})"
