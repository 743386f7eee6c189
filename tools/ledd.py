#!/usr/bin/env python3
"""Ledd developer tool: one place for the set-up that `make run`, `make test`,
`make bench` and CI share.

Only the standard library is used here, so it runs with any Python 3.10+ before
the virtualenv exists. Every failure says what is missing and how to fix it.

    python3 tools/ledd.py run [--size S|M|L] [--port 8069]
    python3 tools/ledd.py test [--keep-db]
    python3 tools/ledd.py lint
    python3 tools/ledd.py reset | env | i18n [ADDON ...] | screenshots | bench
"""

import argparse
import getpass
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ledd"
DEFAULT_ODOO_SRC = CACHE / "odoo-18.0"
ODOO_DOWNLOAD_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
PRIVATE_CLUSTER = CACHE / "pgcluster"
AXE_CORE = "axe-core@4.10.3"  # accessibility rules the portal tests run in Chromium
PRIVATE_PORT = "55432"
DB_ROLE_DEFAULT = "ledd"
RUN_DB = os.environ.get("LEDD_DB", "ledd")
TEST_DB = os.environ.get("LEDD_TEST_DB", "ledd_test")
# Addons the suite installs (ledd_demo only for `run` and benchmarks).
SUITE = ["ledd"]
# Tested a second time installed alone (without the bridges that extend them):
# the adoption figures, and the two halves of support that a bridge joins.
ALONE = ["ledd_adoption", "ledd_request", "ledd_support"]
# Packages of Odoo's requirements that only optional Odoo addons need and that
# need system headers to build (python-ldap: auth_ldap only).
SKIPPED_ODOO_REQUIREMENTS = ("python-ldap",)


class SetupError(Exception):
    """A missing prerequisite, with the way to fix it."""


def say(msg):
    print(f"[ledd] {msg}", flush=True)


def run_cmd(cmd, check=True, **kwargs):
    return subprocess.run(cmd, check=check, **kwargs)


# --------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------
def find_odoo_src():
    env_src = os.environ.get("ODOO_SRC")
    if env_src:
        src = Path(env_src).expanduser()
        if not (src / "odoo-bin").exists():
            raise SetupError(
                f"ODOO_SRC={src} holds no odoo-bin. Point ODOO_SRC at an Odoo 18.0 "
                "source tree (the folder with odoo-bin and requirements.txt), or unset it."
            )
        return src
    if (DEFAULT_ODOO_SRC / "odoo-bin").exists():
        return DEFAULT_ODOO_SRC
    say(f"No Odoo source in ODOO_SRC or {DEFAULT_ODOO_SRC}: downloading 18.0 ...")
    try:
        DEFAULT_ODOO_SRC.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            archive = Path(tmp) / "odoo.tar.gz"
            urllib.request.urlretrieve(ODOO_DOWNLOAD_URL, archive)  # noqa: S310
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            top = next(p for p in Path(tmp).iterdir() if (p / "odoo-bin").exists())
            shutil.move(str(top), DEFAULT_ODOO_SRC)
    except Exception as exc:  # noqa: BLE001 - any failure means the same advice
        raise SetupError(
            f"Could not download Odoo 18.0 ({exc}). Put an Odoo 18.0 source tree at "
            f"{DEFAULT_ODOO_SRC} or set ODOO_SRC to one."
        ) from exc
    return DEFAULT_ODOO_SRC


def odoo_addons_dir(src):
    return src / "odoo" / "addons"


# --------------------------------------------------------------------------
# Virtualenv, outside the checkout, rebuilt only when requirements change
# --------------------------------------------------------------------------
def requirement_files(src):
    return [src / "requirements.txt", ROOT / "requirements.txt"]


def ensure_venv(src):
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for path in requirement_files(src):
        digest.update(path.read_bytes())
    tag = digest.hexdigest()[:12]
    venv = CACHE / f"venv-{tag}"
    python = venv / "bin" / "python"
    if (venv / ".complete").exists():
        return python
    if venv.exists():
        shutil.rmtree(venv)
    say(f"Building the virtualenv {venv} (once per change of requirements) ...")
    run_cmd([sys.executable, "-m", "venv", str(venv)])
    constraints = venv / "build-constraints.txt"
    # cbor2 5.4 does not build with setuptools 81+.
    constraints.write_text("setuptools<81\n")
    odoo_reqs = venv / "odoo-requirements.txt"
    odoo_reqs.write_text(
        "".join(
            line + "\n"
            for line in (src / "requirements.txt").read_text().splitlines()
            if not line.strip().lower().startswith(SKIPPED_ODOO_REQUIREMENTS)
        )
    )
    env = dict(os.environ, PIP_CONSTRAINT=str(constraints), PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = [str(python), "-m", "pip", "install", "-q"]
    try:
        run_cmd(pip + ["setuptools<81", "wheel"], env=env)
        run_cmd(pip + ["-r", str(odoo_reqs), "-r", str(ROOT / "requirements.txt")], env=env)
    except subprocess.CalledProcessError as exc:
        raise SetupError(
            "Installing Python packages failed (see pip's message above). Building "
            "psycopg2 needs libpq-dev and gcc (Debian: apt-get install libpq-dev "
            "build-essential python3-dev)."
        ) from exc
    (venv / ".complete").write_text(time.ctime())
    for old in CACHE.glob("venv-*"):
        if old != venv:
            shutil.rmtree(old, ignore_errors=True)
    return python


# --------------------------------------------------------------------------
# PostgreSQL: the server the PG* variables point at, else a private cluster
# --------------------------------------------------------------------------
def pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise SetupError(
        f"PostgreSQL's `{name}` was not found. Install the PostgreSQL client and "
        "server (Debian: apt-get install postgresql), or point PGHOST/PGPORT at a server."
    )


def psql(conn, sql, user=None, db="postgres"):
    cmd = [pg_bin("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", conn["host"]]
    cmd += ["-p", conn["port"], "-U", user or conn["user"], "-d", db, "-c", sql]
    res = subprocess.run(cmd, capture_output=True, text=True, env=pg_env(conn), check=False)
    return res.returncode, res.stdout.strip(), res.stderr.strip()


def pg_env(conn):
    env = dict(os.environ)
    if conn.get("password"):
        env["PGPASSWORD"] = conn["password"]
    return env


def server_answers(conn):
    res = subprocess.run(
        [pg_bin("pg_isready"), "-q", "-h", conn["host"], "-p", conn["port"]],
        env=pg_env(conn),
        check=False,
    )
    return res.returncode in (0, 1)  # 1 = rejecting connections at start-up


def private_cluster_dir():
    """Where the private cluster lives: in the cache, or, as root (PostgreSQL then
    runs as the `postgres` user, who cannot enter root's home), under /var/lib."""
    return Path("/var/lib/ledd/pgcluster") if os.geteuid() == 0 else PRIVATE_CLUSTER


def start_private_cluster():
    """Start (creating it on first use) a cluster owned by this project."""
    cluster = private_cluster_dir()
    conn = {"host": str(cluster), "port": PRIVATE_PORT, "user": DB_ROLE_DEFAULT}
    if server_answers(conn):
        return conn
    data = cluster / "data"
    as_user = []
    cluster.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as the `postgres` system user.
        as_user = ["runuser", "-u", "postgres", "--"]
        try:
            shutil.chown(cluster, "postgres")
        except LookupError as exc:
            raise SetupError(
                "Running as root and no `postgres` system user exists to own a private "
                "PostgreSQL cluster: create one (useradd postgres) or set PGHOST/PGPORT."
            ) from exc
    if not (data / "PG_VERSION").exists():
        say(f"No PostgreSQL answers: creating a private cluster in {cluster}")
        run_cmd(as_user + [pg_bin("initdb"), "-A", "trust", "-U", DB_ROLE_DEFAULT, "-D", str(data)])
    say("Starting the private PostgreSQL cluster ...")
    run_cmd(
        as_user
        + [
            pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(cluster / "server.log"),
            "-w",
            "-o",
            f"-p {PRIVATE_PORT} -k {cluster} -c listen_addresses=''",
            "start",
        ]
    )
    return conn


def safe_identifier(name, what):
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name or ""):
        raise SetupError(f"{what} {name!r} is not a plain PostgreSQL name (letters, digits, _).")
    return name


def ensure_postgres():
    """Return connection settings for a role that has CREATEDB and is not `postgres`."""
    conn = {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("LEDD_DB_USER") or os.environ.get("PGUSER") or DB_ROLE_DEFAULT,
        "password": os.environ.get("PGPASSWORD", ""),
    }
    safe_identifier(conn["user"], "The database role")
    if conn["user"] == "postgres":
        conn["user"] = DB_ROLE_DEFAULT  # Odoo refuses to connect as `postgres`
    if not server_answers(conn):
        if "PGHOST" in os.environ or "PGPORT" in os.environ:
            raise SetupError(
                f"PGHOST/PGPORT point at {conn['host']}:{conn['port']}, where no PostgreSQL "
                "answers. Start that server, or unset them to use a private cluster."
            )
        conn = start_private_cluster()
    code, out, _err = psql(conn, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
    if code == 0 and out == "t":
        return conn
    # Create (or fix) the role through an administrator role.
    role = conn["user"]
    statement = (
        f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f'THEN CREATE ROLE "{role}" LOGIN CREATEDB; ELSE ALTER ROLE "{role}" LOGIN CREATEDB; '
        "END IF; END$$"
    )
    for admin in dict.fromkeys([os.environ.get("PGUSER", ""), "postgres", getpass.getuser()]):
        if admin and psql(conn, statement, user=admin)[0] == 0:
            say(f"Created the PostgreSQL role {role} (LOGIN CREATEDB) as {admin}.")
            return conn
    raise SetupError(
        f"PostgreSQL at {conn['host']}:{conn['port']} answers, but the role {role} cannot "
        "create databases and no administrator role could create it. As a PostgreSQL "
        f'superuser run: CREATE ROLE "{role}" LOGIN CREATEDB;  (or set LEDD_DB_USER/PGUSER '
        "to a role that has CREATEDB)."
    )


def database_exists(conn, name):
    safe_identifier(name, "The database name")
    code, out, _ = psql(conn, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    return code == 0 and out == "1"


def drop_database(conn, name):
    run_cmd(
        [pg_bin("dropdb"), "--if-exists", "--force", "-h", conn["host"], "-p", conn["port"]]
        + ["-U", conn["user"], name],
        env=pg_env(conn),
    )
    filestore = CACHE / "data" / "filestore" / name
    shutil.rmtree(filestore, ignore_errors=True)


# --------------------------------------------------------------------------
# Odoo configuration and commands
# --------------------------------------------------------------------------
def write_config(src, conn, template):
    text = (ROOT / "config" / template).read_text()
    # The key of the login support audit log's hash chain: one random secret per
    # cache folder, made once and kept next to the generated configs (never in the
    # repository), so that every run and test here verifies the chains it wrote.
    # Written aside and linked into place: of two parallel first runs, one wins.
    secret_file = CACHE / "ledd-support-log-secret"
    if not secret_file.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        draft = secret_file.with_name(f"{secret_file.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
            handle.write(os.urandom(32).hex())
        try:
            os.link(draft, secret_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    values = {
        "addons_path": f"{odoo_addons_dir(src)},{ADDONS}",
        "data_dir": str(CACHE / "data"),
        "db_host": conn["host"],
        "db_port": conn["port"],
        "db_user": conn["user"],
        "db_password": conn.get("password") or "False",
        "ledd_support_log_secret": secret_file.read_text().strip(),
    }
    # one file per checkout and database: parallel runs must not rewrite each other's addons_path
    tag = hashlib.sha256(f"{ROOT}|{TEST_DB}|{RUN_DB}".encode()).hexdigest()[:10]
    target = CACHE / f"odoo-{template.removesuffix('.conf')}-{tag}.conf"
    target.write_text(text % values)
    return target


def prepare(template):
    src = find_odoo_src()
    python = ensure_venv(src)
    conn = ensure_postgres()
    config = write_config(src, conn, template)
    return src, python, conn, config


def ensure_axe_core():
    """axe-core (npm), injected by the accessibility tests into Chromium."""
    axe = CACHE / "node" / "node_modules" / "axe-core" / "axe.min.js"
    if axe.exists():
        return axe
    npm = shutil.which("npm")
    if not npm:
        raise SetupError(
            "npm is missing: the accessibility tests need axe-core from the npm registry. "
            "Install Node.js and npm (Debian: apt-get install nodejs npm)."
        )
    say(f"Installing {AXE_CORE} for the accessibility tests ...")
    (CACHE / "node").mkdir(parents=True, exist_ok=True)
    run_cmd([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE / "node"), AXE_CORE])
    return axe


def ensure_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return
    raise SetupError(
        "No Chromium found: the browser tours need it (Debian: apt-get install chromium). "
        "Without it Odoo would skip the tours."
    )


def ledd_addons():
    return sorted(p.parent.name for p in ADDONS.glob("*/__manifest__.py"))


def cmd_run(args):
    src, python, conn, config = prepare("odoo.dev.conf")
    odoo = [str(python), str(src / "odoo-bin"), "-c", str(config), "-d", RUN_DB]
    odoo += ["--http-port", str(args.port), "--db-filter", f"^{RUN_DB}$"]
    installed = False
    if database_exists(conn, RUN_DB):
        code, out, _err = psql(conn, "SELECT state FROM ir_module_module WHERE name = 'ledd_demo'", db=RUN_DB)
        installed = code == 0 and out == "installed"
    if installed:
        say(f"Reusing the database {RUN_DB} (drop it with `make reset` to start again).")
        names = ",".join(f"'{name}'" for name in ledd_addons())
        _code, out, _err = psql(
            conn, f"SELECT name FROM ir_module_module WHERE name IN ({names}) AND state = 'installed'", db=RUN_DB
        )
        missing = sorted(set(ledd_addons()) - set(out.split()))
        if missing:
            say(f"Installing the suite's new addons: {', '.join(missing)}")
            if subprocess.run(odoo + ["-i", ",".join(missing), "--stop-after-init"], check=False).returncode:
                raise SetupError(
                    f"Installing {', '.join(missing)} into the existing database {RUN_DB} failed (see above). "
                    "`make reset` drops it; the next `make run` builds a fresh one."
                )
    else:
        say(f"Installing the suite and a {args.size} demo organisation in the database {RUN_DB} ...")
        env = dict(os.environ, LEDD_DEMO_SIZE=args.size)
        if subprocess.run(
            odoo + ["-i", ",".join(SUITE + ["ledd_demo"]), "--stop-after-init"], env=env, check=False
        ).returncode:
            raise SetupError(f"Installing the suite into {RUN_DB} failed (see above); `make reset` starts again.")
    print_demo_logins(conn, args.port)
    say(f"Serving Odoo on http://localhost:{args.port}  (Ctrl+C stops it)")
    os.execv(odoo[0], odoo)


def print_demo_logins(conn, port):
    """ledd_demo records the logins it made ready (JSON) in a system parameter."""
    code, out, _err = psql(conn, "SELECT value FROM ir_config_parameter WHERE key = 'ledd_demo.logins'", db=RUN_DB)
    if code or not out:
        say("No demo logins recorded: log in as admin / admin.")
        return
    print(f"\nLogins to try on http://localhost:{port}/web/login:")
    for row in json.loads(out):
        print(f"  {row['who']:<38} login: {row['login']:<28} password: {row['password']}")
    print(flush=True)


def cmd_reset(_args):
    conn = ensure_postgres()
    drop_database(conn, RUN_DB)
    say(f"Dropped {RUN_DB}; `make run` creates it again.")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.problems = []

    def add(self, name, passed, failed, skipped=0):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        if failed or skipped:
            self.problems.append(f"{name}: {failed} failed, {skipped} skipped")


def run_lint(python, tally):
    venv_bin = Path(python).parent
    checks = {
        "ruff check": [str(venv_bin / "ruff"), "check", "addons", "tests", "tools"],
        "ruff format": [str(venv_bin / "ruff"), "format", "--check", "addons", "tests", "tools"],
        "pylint-odoo": [str(python), "-m", "pylint", "--rcfile", ".pylintrc", *map(str, sorted(ADDONS.iterdir()))],
    }
    for name, cmd in checks.items():
        say(f"lint: {name}")
        ok = subprocess.run(cmd, cwd=ROOT, check=False).returncode == 0
        tally.add(name, int(ok), int(not ok))


def run_pytest(python, src, tally):
    say("pytest: suite-level checks in tests/")
    report = CACHE / f"pytest-report-{TEST_DB}.xml"
    env = dict(os.environ, ODOO_SRC=str(src))
    res = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "--junitxml", str(report)],
        cwd=ROOT,
        env=env,
        check=False,
    )
    text = report.read_text() if report.exists() else ""
    match = re.search(r'<testsuite [^>]*errors="(\d+)" failures="(\d+)" skipped="(\d+)" tests="(\d+)"', text)
    if not match:
        tally.add("pytest", 0, 1)
        return
    errors, failures, skipped, total = map(int, match.groups())
    failed = errors + failures
    if res.returncode not in (0, 1) and not failed:
        failed = 1
    tally.add("pytest", total - failed - skipped, failed, skipped)


LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) |^Traceback \(most recent call last\)")


def run_odoo_tests(python, src, conn, config, tally, keep_db=False, only=None, db_suffix=""):
    addons = only or ledd_addons()
    install = addons
    test_db = TEST_DB + db_suffix
    drop_database(conn, test_db)
    logfile = CACHE / f"odoo-{test_db}.log"
    result_file = CACHE / f"odoo-{test_db}-result.json"
    result_file.unlink(missing_ok=True)
    say(f"odoo: installing {', '.join(install)} on a fresh database and running their tests")
    cmd = [str(python), str(ROOT / "tools" / "odoo_test_runner.py"), str(src), str(result_file)]
    cmd += ["-c", str(config), "-d", test_db, "-i", ",".join(install), "--without-demo=all"]
    cmd += ["--test-enable", "--test-tags", ",".join(f"/{a}" for a in addons)]
    cmd += ["--stop-after-init", "--log-level=test", "--http-port", os.environ.get("LEDD_TEST_PORT", "8169")]
    screenshots = CACHE / f"screenshots-{test_db}"
    cmd += ["--screenshots", str(screenshots)]
    ensure_chromium()
    env = dict(os.environ, LEDD_AXE_JS=str(ensure_axe_core()))
    started = time.time()
    with logfile.open("w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env)
        problems = []
        for line in proc.stdout:
            log.write(line)
            if LOG_PROBLEM.search(line):
                problems.append(line.rstrip())
                print(line, end="", flush=True)
            elif " odoo.tests.stats: " in line or " INFO ? odoo.modules.loading: Modules loaded" in line:
                print(line, end="", flush=True)
        proc.wait()
    say(f"odoo: finished in {time.time() - started:.0f}s, full log in {logfile}")
    if not keep_db:
        drop_database(conn, test_db)
    if not result_file.exists():
        tally.add("odoo tests (did not finish)", 0, 1)
        return
    result = json.loads(result_file.read_text())
    failed = result["failures"] + result["errors"]
    # failures count failing subtests too: never report fewer than zero passed
    passed = max(result["run"] - failed - result["skipped"], 0)
    tally.add(f"odoo tests ({', '.join(addons) if only else 'suite'})", passed, failed, result["skipped"])
    if result["run"] == 0:
        tally.add("odoo tests (none ran)", 0, 1)
    if problems or proc.returncode:
        say(f"odoo: {len(problems)} ERROR/CRITICAL/traceback lines in the log, exit code {proc.returncode}")
        tally.add("odoo log", 0, 1)


def cmd_test(args):
    src, python, conn, config = prepare("odoo.test.conf")
    tally = Tally()
    if not args.only_odoo:
        run_lint(python, tally)
        run_pytest(python, src, tally)
    if not args.no_odoo:
        run_odoo_tests(python, src, conn, config, tally, keep_db=args.keep_db, only=args.addons)
        if not args.addons:
            # Addons whose figures must also hold without their optional bridges:
            # installed alone on a second database, with their own tests.
            for addon in ALONE:
                run_odoo_tests(python, src, conn, config, tally, only=[addon], db_suffix="_alone")
    for problem in tally.problems:
        say(f"problem: {problem}")
    line = f"{tally.passed} passed, {tally.failed} failed"
    if tally.skipped:
        line += f", {tally.skipped} skipped"
    print(line, flush=True)
    return 1 if tally.failed or tally.skipped else 0


def cmd_lint(_args):
    src = find_odoo_src()
    python = ensure_venv(src)
    tally = Tally()
    run_lint(python, tally)
    print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    return 1 if tally.failed else 0


def cmd_i18n(args):
    """Export each addon's .pot from a fresh database and merge it into nb.po."""
    src, python, conn, config = prepare("odoo.test.conf")
    addons = args.addons or [a for a in ledd_addons() if a not in ("ledd", "ledd_demo")]
    db = ("ledd_i18n_" + "_".join(sorted(addons)))[:60]
    drop_database(conn, db)
    base = [str(python), str(src / "odoo-bin"), "-c", str(config), "-d", db, "--stop-after-init"]
    run_cmd(base + ["-i", ",".join(addons), "--without-demo=all", "--log-level=warn"])
    for addon in addons:
        i18n = ADDONS / addon / "i18n"
        i18n.mkdir(exist_ok=True)
        pot = i18n / f"{addon}.pot"
        run_cmd(base + [f"--i18n-export={pot}", f"--modules={addon}", "--log-level=warn"])
        run_cmd([str(python), str(ROOT / "tools" / "i18n_merge.py"), str(ADDONS / addon)])
    drop_database(conn, db)


def cmd_screenshots(_args):
    """README screenshots (tests tagged ledd_screenshots) into docs/screenshots."""
    src, python, conn, config = prepare("odoo.test.conf")
    ensure_chromium()
    db = "ledd_screenshots"
    drop_database(conn, db)
    target = ROOT / "docs" / "screenshots"
    env = dict(os.environ, LEDD_SCREENSHOT_DIR=str(target), LEDD_AXE_JS=str(ensure_axe_core()))
    cmd = [str(python), str(src / "odoo-bin"), "-c", str(config), "-d", db, "--stop-after-init"]
    cmd += ["-i", ",".join(ledd_addons()), "--without-demo=all", "--test-enable", "--test-tags", "ledd_screenshots"]
    cmd += ["--log-level=warn", "--http-port", os.environ.get("LEDD_TEST_PORT", "8169")]
    run_cmd(cmd, env=env)
    drop_database(conn, db)
    say(f"Screenshots in {target}: " + ", ".join(sorted(p.name for p in target.glob("*.png"))))


def cmd_bench(_args):
    """Benchmark on the L demo organisation (built once into LEDD_BENCH_DB)."""
    src, python, _conn, config = prepare("odoo.test.conf")
    db = safe_identifier(os.environ.get("LEDD_BENCH_DB", "ledd_bench"), "The benchmark database")
    return run_cmd([str(python), str(ROOT / "tools" / "bench.py"), str(src), str(config), db], check=False).returncode


def cmd_env(_args):
    src, python, conn, config = prepare("odoo.dev.conf")
    print(json.dumps({"odoo_src": str(src), "python": str(python), "config": str(config), **conn}, indent=1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="serve Odoo with the suite and a demo organisation")
    run_p.add_argument("--size", default=os.environ.get("LEDD_DEMO_SIZE", "S"), choices=["S", "M", "L"])
    run_p.add_argument("--port", type=int, default=int(os.environ.get("LEDD_PORT", "8069")))
    run_p.set_defaults(func=cmd_run)
    test_p = sub.add_parser("test", help="every test and check")
    test_p.add_argument("--keep-db", action="store_true", help="keep the test database afterwards")
    test_p.add_argument("--no-odoo", action="store_true", help="only lint and suite-level checks")
    test_p.add_argument("--only-odoo", action="store_true", help="only the Odoo tests")
    test_p.add_argument("--addons", nargs="+", help="install and test only these addons")
    test_p.set_defaults(func=cmd_test)
    sub.add_parser("lint", help="ruff and pylint-odoo").set_defaults(func=cmd_lint)
    i18n_p = sub.add_parser("i18n", help="export .pot files and merge them into nb.po")
    i18n_p.add_argument("addons", nargs="*")
    i18n_p.set_defaults(func=cmd_i18n)
    sub.add_parser("bench", help="benchmark on the L demo organisation").set_defaults(func=cmd_bench)
    sub.add_parser("screenshots", help="README screenshots into docs/screenshots").set_defaults(func=cmd_screenshots)
    sub.add_parser("reset", help="drop the `make run` database").set_defaults(func=cmd_reset)
    sub.add_parser("env", help="set everything up and print where it is").set_defaults(func=cmd_env)
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except SetupError as exc:
        say(f"cannot continue: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
