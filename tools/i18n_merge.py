"""Merge a fresh .pot into an addon's nb.po, keeping existing translations.

Usage: python i18n_merge.py ADDON_DIR
Prints how many entries of nb.po still lack a translation.
"""

import sys
from pathlib import Path

import polib

addon = Path(sys.argv[1])
pot_path = addon / "i18n" / f"{addon.name}.pot"
po_path = addon / "i18n" / "nb.po"
pot = polib.pofile(str(pot_path))
if po_path.exists():
    po = polib.pofile(str(po_path))
    po.merge(pot)
    po.obsolete_entries()
    for entry in po.obsolete_entries():
        po.remove(entry)
else:
    po = polib.POFile()
    po.metadata = dict(pot.metadata)
    for entry in pot:
        po.append(entry)
po.metadata.update(
    {
        "Language": "nb",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
)
for entry in po:
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"] if entry.msgstr else entry.flags
po.save(str(po_path))
missing = len([e for e in po if not e.msgstr and not e.obsolete])
print(f"{addon.name}: {len(po)} entries, {missing} without a Norwegian translation")
