"""Run Odoo's server command (install + tests) and write the test result as JSON.

Usage: python odoo_test_runner.py ODOO_SRC RESULT_JSON <odoo server options>

Odoo's own runner only logs its counts; this wrapper reads the registry's
test report after the run so that the caller can count passed, failed and
skipped tests exactly.
"""

import json
import sys

src, result_path, *odoo_args = sys.argv[1:]
sys.path.insert(0, src)

import odoo  # noqa: E402
from odoo.cli import server as server_cli  # noqa: E402
from odoo.service import server as odoo_server  # noqa: E402

reports = []
_preload_registries = odoo_server.preload_registries


def preload_and_keep_report(dbnames):
    rc = _preload_registries(dbnames)
    for dbname in dbnames:
        registry = odoo.modules.registry.Registry.registries.get(dbname)
        if registry is not None and registry._assertion_report is not None:
            reports.append(registry._assertion_report)
    return rc


odoo_server.preload_registries = preload_and_keep_report

try:
    server_cli.main(odoo_args)
except SystemExit as exc:
    rc = exc.code or 0
else:
    rc = 0

result = {"run": 0, "failures": 0, "errors": 0, "skipped": 0, "rc": rc}
for report in reports:
    result["run"] += report.testsRun
    result["failures"] += report.failures_count
    result["errors"] += report.errors_count
    result["skipped"] += report.skipped
with open(result_path, "w") as fh:
    json.dump(result, fh)
print(
    f"odoo tests: {result['run']} run, {result['failures']} failed, "
    f"{result['errors']} errors, {result['skipped']} skipped",
    flush=True,
)
sys.exit(rc)
