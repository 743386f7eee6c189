"""Benchmark of Ledd at national scale: the L demo organisation (about 100,000 members).

Usage:
    <venv python> tools/bench.py ODOO_SRC ODOO_CONFIG DBNAME

ODOO_SRC is an Odoo 18.0 source tree, ODOO_CONFIG an Odoo configuration file whose
addons_path holds the Ledd addons, DBNAME the benchmark database. When DBNAME does
not exist or lacks ledd_demo, the script creates it and installs ``ledd,ledd_demo``
with LEDD_DEMO_SIZE=L (several minutes, once); later runs reuse it.

It then measures, in one process and one transaction that is rolled back at the end
(the database is left as it was):
  1. the nightly snapshot of every unit, against the raw SQL aggregates it runs;
  2. the snapshot at twice the members (duplicated with SQL), against 1.;
  3. the scoped member search (count, and the first page of the list view) of a
     region user and of a local user, against an admin's search with the same
     explicit domain and against the raw SQL count of the same rows;
  4. the KPI dashboard server-side (kanban page, grouped by level) of a region
     user, against the admin's same calls.
The snapshots count as the best of SNAPSHOT_REPEAT builds (other processes on the
machine can only add time). Small measurements run warm, as on a running server: one
discarded round, then the median of REPEAT rounds in which the compared calls take
turns, with the ORM cache cleared before each call (record rules stay in Odoo's
registry cache). The table ends with one OK/MISSED line per goal of the issue, after
the machine's load average.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPEAT = 101  # many rounds: the small figures are a few ms on a shared 2-core machine
SNAPSHOT_REPEAT = 7
DEMO_SIZE = "L"
# Vacuumed before measuring (and after the rollback): the dead rows of an earlier run's
# rolled back copy of the members would slow every index scan down.
VACUUMED = "res_partner, res_users, ledd_unit, ledd_role, ledd_user_activity, ledd_adoption_snapshot"
MEMBERS = [("ledd_is_member", "=", True)]
# The first page of the contacts list view, as the web client asks for it.
LIST_SPEC = {
    "display_name": {},
    "email": {},
    "phone": {},
    "city": {},
    "country_id": {"fields": {"display_name": {}}},
    "ledd_unit_id": {"fields": {"display_name": {}}},
}
LATEST = [("is_latest", "=", True)]
# The fields of the dashboard's kanban cards.
KANBAN_SPEC = {
    name: {}
    for name in (
        "unit_complete_name",
        "status",
        "member_count",
        "active_30_count",
        "login_share",
        "login_share_status",
        "active_30_share",
        "active_30_share_status",
        "email_share",
        "email_share_status",
        "coverage_share",
        "coverage_share_status",
        "date",
    )
} | {"unit_id": {"fields": {"display_name": {}}}, "unit_type_id": {"fields": {"display_name": {}}}}


def ensure_database(odoo, src, config, db):
    """Create DBNAME with the L organisation unless ledd_demo is installed in it."""
    from odoo.service import db as db_service

    installed = False
    if db_service.exp_db_exist(db):
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if cr.fetchone()[0]:
                cr.execute("SELECT state FROM ir_module_module WHERE name = 'ledd_demo'")
                installed = cr.fetchone() == ("installed",)
    if installed:
        print(f"Reusing the database {db}.", flush=True)
        return
    print(f"Building the {DEMO_SIZE} organisation in the database {db} (several minutes, once) ...", flush=True)
    command = [sys.executable, str(Path(src) / "odoo-bin"), "-c", config, "-d", db]
    command += ["-i", "ledd,ledd_demo", "--without-demo=all", "--stop-after-init"]
    command += ["--log-level=warn", "--log-handler=odoo.addons.ledd_demo:INFO"]  # the demo's progress
    subprocess.run(command, check=True, env=dict(os.environ, LEDD_DEMO_SIZE=DEMO_SIZE))


def vacuum(odoo, db):
    """VACUUM (ANALYZE) the tables the benchmark reads: no data changes, only dead rows go."""
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.connection.autocommit = True  # VACUUM cannot run inside a transaction
        try:
            cr.execute(f"VACUUM (ANALYZE) {VACUUMED}")
        finally:
            cr.connection.autocommit = False


def medians_ms(env, *calls):
    """Median wall time in ms of each of ``calls``, warm: one discarded round, then REPEAT
    rounds running the calls in turn (a change of load hits them alike), with the ORM
    cache cleared before each call."""
    times = [[] for _call in calls]
    for round_ in range(REPEAT + 1):
        for call, call_times in zip(calls, times, strict=True):
            env.invalidate_all()
            start = time.perf_counter()
            call()
            if round_:
                call_times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(call_times) for call_times in times]


def fetch(cr, query):
    cr.execute(query)
    return cr.fetchall()


def snapshot_seconds(env):
    """Best of SNAPSHOT_REPEAT builds: (seconds of the build, seconds of its SQL aggregates)."""
    builds, queries = [], []
    for _run in range(SNAPSHOT_REPEAT):
        env.invalidate_all()
        start = time.perf_counter()
        timings = env["ledd.adoption.snapshot"]._build_snapshots()
        builds.append(time.perf_counter() - start)
        queries.append(sum(seconds for _label, seconds in timings["queries"]))
    return min(builds), min(queries)


def duplicate_members(env):
    """Insert a copy of every member (same units); return how many were added."""
    from odoo.tools import SQL

    env.flush_all()
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = 'res_partner' AND column_name <> 'id'"
    )
    columns = SQL(", ").join(SQL.identifier(row[0]) for row in env.cr.fetchall())
    env.cr.execute(
        SQL("INSERT INTO res_partner (%s) SELECT %s FROM res_partner WHERE ledd_is_member AND active", columns, columns)
    )
    added = env.cr.rowcount
    env.cr.execute("ANALYZE res_partner")  # as autovacuum would after a real import
    env.invalidate_all()
    return added


def local_user(env):
    """An internal user leading the local unit with the most members (made for this run)."""
    from odoo import Command

    unit = env["ledd.unit"].browse(
        env["res.partner"]
        ._read_group(
            [*MEMBERS, ("ledd_unit_id.type_id", "=", env.ref("ledd_base.unit_type_local").id)],
            ["ledd_unit_id"],
            ["__count"],
            order="__count desc",
            limit=1,
        )[0][0]
        .id
    )
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Local Leader",
                "login": "bench-local-leader",
                "groups_id": [Command.set([env.ref("ledd_base.group_user").id])],
            }
        )
    )
    user.partner_id.ledd_unit_id = unit
    env["ledd.role"].create(
        {
            "partner_id": user.partner_id.id,
            "unit_id": unit.id,
            "role_type_id": env.ref("ledd_base.role_type_leader").id,
            "date_start": "2020-01-01",
        }
    )
    return user


def scoped_search_rows(env, who, user, admin):
    """Rows of the scoped member search of ``user`` against the admin and raw SQL."""
    from odoo.tools import SQL

    user.invalidate_recordset()
    subtree = user.ledd_scope_subtree_unit_ids
    if not subtree:
        raise SystemExit(f"The {who} user {user.login} has no member scope.")
    explicit = [*MEMBERS, ("ledd_unit_id", "in", subtree.ids)]
    as_user = env["res.partner"].with_user(user)
    as_admin = env["res.partner"].with_user(admin)
    count = as_user.search_count(MEMBERS)
    count_sql = SQL(
        "SELECT count(*) FROM res_partner WHERE ledd_is_member AND active AND ledd_unit_id = ANY(%s)", subtree.ids
    )
    if not fetch(env.cr, count_sql)[0][0] == count == as_admin.search_count(explicit):
        raise SystemExit(f"The {who} user's member count differs from the admin's and from SQL.")
    user_count, admin_count, sql_count = medians_ms(
        env,
        lambda: as_user.search_count(MEMBERS),
        lambda: as_admin.search_count(explicit),
        lambda: fetch(env.cr, count_sql),
    )
    user_page, admin_page = medians_ms(
        env,
        lambda: as_user.web_search_read(MEMBERS, LIST_SPEC, limit=80, count_limit=10001),
        lambda: as_admin.web_search_read(explicit, LIST_SPEC, limit=80, count_limit=10001),
    )
    label = f"{who} user (scope {len(subtree)} units, {count} members)"
    return [
        (f"{label}: member count", user_count, "admin, explicit domain", admin_count, 1.3, "ms"),
        (f"{label}: member count", user_count, "raw SQL count (index)", sql_count, 5.0, "ms"),
        (f"{label}: list page (80)", user_page, "admin, explicit domain", admin_page, 1.3, "ms"),
    ]


def dashboard_rows(env, user, admin):
    """Rows of the KPI dashboard opened by ``user`` against the admin's same calls."""
    rows = []
    for what, call in (
        ("kanban page", lambda model: model.web_search_read(LATEST, KANBAN_SPEC, limit=40, count_limit=10001)),
        ("grouped by level", lambda model: model.web_read_group(LATEST, ["member_count:sum"], ["unit_type_id"])),
    ):
        user_ms, admin_ms = medians_ms(
            env,
            lambda call=call: call(env["ledd.adoption.snapshot"].with_user(user)),
            lambda call=call: call(env["ledd.adoption.snapshot"].with_user(admin)),
        )
        rows.append((f"dashboard as region user: {what}", user_ms, "admin, same calls", admin_ms, None, "ms"))
    return rows


def loadavg():
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def print_table(rows, absolute_goals):
    """Print the rows aligned, then one OK/MISSED line per goal."""
    lines = [("Measurement", "Time", "Against", "Time", "Ratio", "Goal")]
    goals = []
    for label, value, against, reference, goal, unit in rows:
        ratio = value / reference if reference else float("inf")
        fmt = "{:.2f} s" if unit == "s" else "{:.2f} ms"
        goal_text = f"<= {goal}x" if goal else "-"
        lines.append((label, fmt.format(value), against, fmt.format(reference), f"{ratio:.2f}x", goal_text))
        if goal:
            goals.append((f"{label} / {against}: {ratio:.2f}x {goal_text}", ratio <= goal))
    widths = [max(len(line[col]) for line in lines) for col in range(len(lines[0]))]
    lines.insert(1, tuple("-" * width for width in widths))
    for line in lines:
        cells = [
            cell.ljust(width) if col in (0, 2) else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    print()
    for text, ok in [*goals, *absolute_goals]:
        print(f"{'OK' if ok else 'MISSED':<6}  {text}")


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    src, config, db = argv
    sys.path.insert(0, src)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    ensure_database(odoo, src, config, db)
    registry = odoo.modules.registry.Registry(db)
    vacuum(odoo, db)
    load_before = loadavg()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            admin = env.ref("base.user_admin")
            members = env["res.partner"].search_count(MEMBERS)
            units = env["ledd.unit"].search_count([])
            logins = env["res.users"].search_count([])
            activity = env["ledd.user.activity"].search_count([])
            addons = env["ir.module.module"].search([("name", "=like", "ledd%"), ("state", "=", "installed")])
            seconds, floor = snapshot_seconds(env)
            rows = [("nightly snapshot of every unit", seconds, "its raw SQL aggregates", floor, 3.0, "s")]
            region = env["res.users"].search([("login", "=", "region")], limit=1)
            if not region:
                raise SystemExit("No demo login 'region': rebuild the database with the L demo organisation.")
            rows += scoped_search_rows(env, "region", region, admin)
            rows += scoped_search_rows(env, "local", local_user(env), admin)
            rows += dashboard_rows(env, region, admin)
            added = duplicate_members(env)
            seconds_2x, floor_2x = snapshot_seconds(env)
            rows[1:1] = [
                (f"snapshot at {members + added} members", seconds_2x, f"at {members}", seconds, 2.2, "s"),
                (f"its raw SQL aggregates at {members + added}", floor_2x, f"at {members}", floor, None, "s"),
            ]
            print(f"\nLedd benchmark on {db}: {units} units, {members} members, {logins} users with a login,")
            print(f"{activity} activity rows; {os.cpu_count()} cores, load average (1, 5, 15 min)")
            print(f"{load_before} before, {loadavg()} after")
            print(f"Addons: {', '.join(sorted(addons.mapped('name')))} (drop {db} to rebuild it with new ones)\n")
            absolute = [(f"nightly snapshot: {seconds:.2f} s <= 15 s", seconds <= 15)]
            print_table(rows, absolute)
        finally:
            cr.rollback()
    vacuum(odoo, db)


if __name__ == "__main__":
    main(sys.argv[1:])
