"""The access matrix (DESIGN.md, "Security model"): every Ledd model and every Ledd
route, for every kind of person, against the one table in ``access_matrix``.

Models are tried through the ORM's public methods as the persona, the calls a
JSON-RPC client makes (``read``, ``search``, ``search_count``, ``read_group``,
``name_search``, ``write``, ``create``, ``unlink``); routes through HTTP as the
logged-in persona. Every attempt runs in a savepoint that is rolled back, so one
cell never changes what the next one sees."""

import logging
import re
import time
from urllib.parse import urlsplit

import psycopg2

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .access_matrix import (
    OPERATIONS,
    PERSONA_DESCRIPTIONS,
    PERSONAS,
    READ_OPS,
    ROUTE_PERSONAS,
    SKIPPED_MODELS,
    MatrixTableError,
    parse_model_table,
    parse_route_table,
    row_model,
)
from .access_matrix_fixtures import LeddAccessMatrixMixin

_logger = logging.getLogger(__name__)

REFUSALS = (AccessError, UserError, ValidationError)
EXPECTED = {
    # level: {position: allowed}; "own" is only tried where the level speaks of it
    "none": {"in": False, "out": False, "own": False},
    "own": {"in": False, "out": False, "own": True},
    "scope": {"in": True, "out": False},
    "all": {"in": True, "out": True},
}
ROUTE_EXPECTED = {
    # cell: {position: answer}; None: a route without record ids
    "ok": {None: "ok"},
    "login": {"in": "login"},
    "404": {"in": "404", "out": "404"},
    "scope": {"in": "ok", "out": "404"},
    "all": {"in": "ok", "out": "ok"},
    "own": {"own": "ok", "in": "404", "out": "404"},
}
CONVERTER = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")
LEDD_MODULES = "odoo.addons.ledd"


def _observed_level(results):
    """The level that the per-position results show."""
    seen_in, seen_out, seen_own = (results.get(position) is True for position in ("in", "out", "own"))
    if seen_in and seen_out:
        return "all"
    if seen_in:
        return "scope"
    if seen_out:
        return "out-only"
    return "own" if seen_own else "none"


def _format_table(header, lines):
    widths = [max(len(str(line[index])) for line in [header, *lines]) for index in range(len(header))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )


@tagged("post_install", "-at_install")
class TestAccessMatrix(LeddAccessMatrixMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_access_matrix()
        cls.model_table = parse_model_table()
        cls.route_table = parse_route_table()
        cls.rows = cls._ledd_matrix_rows()

    # ------------------------------------------------------------------
    # Completeness: every Ledd model and route is in the table
    # ------------------------------------------------------------------
    def test_every_ledd_model_is_in_the_table(self):
        registry = self.env.registry
        ledd_models = {name for name in registry if name.startswith("ledd.")}
        table_rows = {row for row, _operation in self.model_table}
        covered = {self.rows[row].model for row in table_rows if row in self.rows}
        installed = set(self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        missing = sorted(ledd_models - covered - set(SKIPPED_MODELS))
        self.assertFalse(
            missing,
            "Ledd models missing from the access matrix (add their lines to MODEL_TABLE and a MatrixRow, "
            f"or a reason to SKIPPED_MODELS): {missing}",
        )
        for row in sorted(table_rows):
            with self.subTest(row=row):
                self.assertTrue(row in self.rows, f"{row} is in MODEL_TABLE but has no MatrixRow")
                self.assertEqual(self.rows[row].model, row_model(row))
                self.assertTrue(self.rows[row].model in registry, f"{row}: no such model (stale line?)")
                if "[" not in row:
                    operations = {operation for name, operation in self.model_table if name == row}
                    self.assertEqual(operations, set(OPERATIONS), f"{row}: every operation has a line")
        for row in self.rows:
            self.assertTrue(row in table_rows, f"{row} has a MatrixRow but no line in MODEL_TABLE")
        for model, (addon, reason) in SKIPPED_MODELS.items():
            with self.subTest(skipped=model):
                self.assertTrue(reason)
                if addon in installed:
                    self.assertTrue(model in registry, f"{model} is skipped but does not exist (stale?)")
                    self.assertTrue(registry[model]._abstract, f"{model} has records: it belongs in the table")

    def test_every_ledd_route_is_in_the_table(self):
        routes, any_method = self._ledd_routes()
        missing = sorted(routes - set(self.route_table))
        self.assertFalse(missing, f"Ledd routes missing from ROUTE_TABLE: {missing}")
        # A route without a methods list answers every method: it needs its GET line, and
        # may have a POST line for the form it handles.
        optional = {f"POST {path}" for path in any_method}
        stale = sorted(set(self.route_table) - routes - optional)
        self.assertFalse(stale, f"ROUTE_TABLE lines without a Ledd route (renamed or removed?): {stale}")

    def _ledd_routes(self):
        """``{"METHOD /path"}`` of every route whose endpoint code lives in a Ledd addon
        (defined there, or a Ledd override of another addon's route), and the paths
        that answer every method."""
        routes, any_method = set(), set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if not self._is_ledd_endpoint(rule.endpoint):
                continue
            if rule.methods is None:
                any_method.add(rule.rule)
            methods = sorted((rule.methods or {"GET"}) - {"HEAD", "OPTIONS"})
            routes.update(f"{method} {rule.rule}" for method in methods)
        return routes, any_method

    @staticmethod
    def _is_ledd_endpoint(endpoint):
        function = getattr(endpoint, "func", endpoint)
        controller = getattr(function, "__self__", None)
        if controller is None:
            return (getattr(endpoint, "__module__", "") or "").startswith(LEDD_MODULES)
        name = function.__name__
        return any(cls.__module__.startswith(LEDD_MODULES) and name in vars(cls) for cls in type(controller).__mro__)

    # ------------------------------------------------------------------
    # Models
    # ------------------------------------------------------------------
    def test_model_matrix(self):
        started = time.time()
        results = {}
        for (row, operation), cells in self.model_table.items():
            if row not in self.rows:
                continue  # reported by test_every_ledd_model_is_in_the_table
            for persona in PERSONAS:
                results[row, operation, persona] = self._check_cell(row, operation, persona, cells[persona])
        lines = []
        for (row, operation), cells in self.model_table.items():
            line = [row, operation]
            for persona in PERSONAS:
                expected = cells[persona]
                outcome = results.get((row, operation, persona))
                if not outcome:
                    line.append(f"{expected}?")
                else:
                    line.append(expected if outcome["ok"] else f"{expected}>{outcome['observed']}*")
            lines.append(line)
        _logger.info(
            "Access matrix, models (%.0fs): expected level per persona; 'expected>observed*' where they differ, "
            "'expected?' where the row could not be tried.\n"
            "Personas: %s\n%s",
            time.time() - started,
            "; ".join(f"{persona} = {PERSONA_DESCRIPTIONS[persona]}" for persona in PERSONAS),
            _format_table(["row", "operation", *PERSONAS], lines),
        )
        for row in dict.fromkeys(row for row, _operation in self.model_table):
            failures = [
                f"{operation} as {persona}: expected {outcome['expected']}, got {outcome['observed']} "
                f"({outcome['detail']})"
                for (name, operation, persona), outcome in results.items()
                if name == row and not outcome["ok"]
            ]
            with self.subTest(row=row):
                self.assertFalse(failures, "\n".join(failures))

    def _check_cell(self, row_name, operation, persona, level):
        row = self.rows[row_name]
        user = self.persona_users[persona]
        positions = self._positions(row, operation, persona, level)
        if level == "own" and "own" not in positions:
            raise MatrixTableError(f"{row_name} {operation}: 'own' for {persona}, who has no own record here")
        if not {"in", "out"} & set(positions) and level in ("scope", "all"):
            raise MatrixTableError(f"{row_name} {operation}: '{level}' needs in- and out-of-scope records")
        outcome = {position: self._try_position(row, operation, user, position, persona) for position in positions}
        expected = EXPECTED[level]
        ok = all(outcome[position] is expected[position] for position in positions)
        return {
            "ok": ok,
            "expected": level,
            "observed": _observed_level(outcome),
            "detail": ", ".join(
                f"{position} {'allowed' if result is True else 'refused' if result is False else result}"
                for position, result in outcome.items()
            ),
        }

    @staticmethod
    def _positions(row, operation, persona, level):
        if operation == "create":
            positions = [position for position in ("in", "out") if position in row.create]
            if "own" in row.create and level in ("none", "own"):
                positions.append("own")
            return positions
        positions = ["in", "out"]
        if persona in row.own and level in ("none", "own"):
            positions.append("own")
        return positions

    def _try_position(self, row, operation, user, position, persona):
        """One position of a cell; each set of values to write is tried on its own."""
        if operation != "write" or len(row.writes) == 1:
            return self._attempt(row, operation, user, position, persona)
        results = [self._attempt(row, operation, user, position, persona, values) for values in row.writes]
        if len(set(results)) == 1:
            return results[0]
        return "mixed: " + ", ".join(
            f"{'/'.join(values)} {'allowed' if result is True else 'refused' if result is False else result}"
            for values, result in zip(row.writes, results, strict=True)
        )

    def _attempt(self, row, operation, user, position, persona, values=None):
        """True if the call went through, False if refused, a text if it broke.
        Always rolled back."""
        savepoint = self.env.cr.savepoint()
        try:
            with mute_logger("odoo.sql_db"):
                allowed = self._call(row, operation, user, position, persona, values)
                self.env.flush_all()
        except REFUSALS:
            allowed = False
        except psycopg2.Error as error:
            allowed = f"database error {error.pgcode}: {str(error).splitlines()[0]}"
        except Exception as error:  # noqa: BLE001 - reported as a broken cell, not a crash of the matrix
            allowed = f"{type(error).__name__}: {error}"
        finally:
            savepoint.close(rollback=True)
        if allowed is True and operation not in READ_OPS:
            # The rolled-back change may have left rule domains computed from it in the registry cache.
            self.env.registry.clear_cache()
        return allowed

    def _record(self, row, position, persona):
        return row.own[persona] if position == "own" else row.records[position]

    def _call(self, row, operation, user, position, persona, values=None):
        model = self.env[row.model].with_user(user)
        if operation == "create":
            values = row.create[position]
            model.create(values(persona) if callable(values) else dict(values))
            return True
        if operation == "unlink":
            record = row.fresh(position, persona) if row.fresh and position != "own" else None
            record = record or self._record(row, position, persona)
            record.with_user(user).unlink()
            return True
        record = self._record(row, position, persona).with_user(user)
        if operation == "write":
            record.write(dict(values or row.writes[0]))
            return True
        return self._seen(row, operation, model, record)

    @staticmethod
    def _seen(row, operation, model, record):
        """Whether a read-like call shows ``record`` (or its ``row.field`` value)."""
        domain = [("id", "=", record.id)]
        value = None
        if row.field:
            value = record.sudo()[row.field]
            domain.append((row.field, "=", value))
        if operation == "read":
            fields = [row.field] if row.field else [row.probe]
            values = record.read(fields)
            return bool(values) and (not row.field or values[0][row.field] == value)
        if operation == "search":
            return model.search(domain) == record
        if operation == "search_count":
            return model.search_count(domain) == 1
        if operation == "read_group":
            if row.field:
                groups = model.read_group([("id", "=", record.id)], ["__count"], [row.field])
                return any(group[row.field] == value for group in groups)
            groups = model.read_group(domain, ["__count"], [])
            return bool(groups) and groups[0]["__count"] == 1
        if operation == "name_search":
            return record.id in [found_id for found_id, _name in model.name_search("", args=domain, limit=None)]
        raise MatrixTableError(f"unknown operation {operation}")

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    def test_route_matrix(self):
        started = time.time()
        results = {}
        for persona in ROUTE_PERSONAS:
            self._login(persona)
            for key, cells in self.route_table.items():
                if cells[persona] != "-":
                    results[key, persona] = self._check_route(key, persona, cells[persona])
        csrf_results = self._check_post_protection()
        lines = []
        for key, cells in self.route_table.items():
            line = [key]
            for persona in ROUTE_PERSONAS:
                outcome = results.get((key, persona))
                expected = cells[persona]
                line.append(expected if not outcome or outcome["ok"] else f"{expected}>{outcome['observed']}*")
            line.append(csrf_results.get(key, {}).get("observed", ""))
            lines.append(line)
        _logger.info(
            "Access matrix, routes (%.0fs): expected answer per persona; 'expected>observed*' where they "
            "differ. Last column: a POST without CSRF token and a GET on a POST-only route.\n%s",
            time.time() - started,
            _format_table(["route", *ROUTE_PERSONAS, "no-csrf/get"], lines),
        )
        for key in self.route_table:
            failures = [
                f"as {persona}: expected {outcome['expected']}, got {outcome['detail']}"
                for (name, persona), outcome in results.items()
                if name == key and not outcome["ok"]
            ]
            if key in csrf_results and not csrf_results[key]["ok"]:
                failures.append(f"unprotected: {csrf_results[key]['observed']}")
            with self.subTest(route=key):
                self.assertFalse(failures, "\n".join(failures))

    def _login(self, persona):
        if persona == "anon":
            self.authenticate(None, None)
        else:
            user = self.persona_users[persona]
            self.authenticate(user.login, user.login)

    def _check_route(self, key, persona, cell):
        method, path = key.split(" ", 1)
        has_ids = bool(set(CONVERTER.findall(path)) - {"page", "action"})
        expected = ROUTE_EXPECTED[cell]
        if not has_ids:
            if cell not in ("ok", "login", "404"):
                raise MatrixTableError(f"{key}: '{cell}' on a route without record ids; use ok, login or 404")
            expected = {None: cell}
        elif cell == "ok":
            raise MatrixTableError(f"{key}: 'ok' on a route with record ids; use scope, all or own")
        answers = {}
        for position in expected:
            url = self._route_url(path, position, persona)
            data = self._post_data(key, position) if method == "POST" else None
            answers[position] = self._answer(url, data)
        return {
            "ok": answers == expected,
            "expected": cell,
            "observed": self._route_level(answers),
            "detail": ", ".join(f"{position or 'page'} {answer}" for position, answer in answers.items()),
        }

    @staticmethod
    def _route_level(answers):
        if None in answers:
            return answers[None]
        if set(answers.values()) == {"404"}:
            return "404"
        if set(answers.values()) == {"login"}:
            return "login"
        return _observed_level({position: answer == "ok" for position, answer in answers.items()})

    def _route_url(self, path, position, persona):
        return CONVERTER.sub(lambda match: str(self._ledd_route_arg(match.group(1), position, persona)), path)

    def _post_data(self, key, position):
        return {**self._ledd_route_post_data(key, position), "csrf_token": http.Request.csrf_token(self)}

    def _answer(self, url, data=None):
        """ "ok", "login", "404" or the status code of one request, rolled back after."""
        savepoint = self.env.cr.savepoint()
        try:
            response = self.url_open(url, data=data, allow_redirects=False, timeout=60)
        finally:
            savepoint.close(rollback=True)
        if response.is_redirect:
            location = urlsplit(response.headers.get("Location", ""))
            return "login" if location.path == "/web/login" else "ok"
        if response.status_code == 200:
            return "ok"
        return str(response.status_code)

    def _check_post_protection(self):
        """Every Ledd POST route refuses a POST without CSRF token (400), and a GET
        where it answers POST only — tried as the portal superuser, who may use most."""
        self._login("super")
        answers_get = {key.split(" ", 1)[1] for key in self.route_table if key.startswith("GET ")}
        results = {}
        for key in self.route_table:
            method, path = key.split(" ", 1)
            if method != "POST":
                continue
            url = self._route_url(path, "in", "super")
            data = self._ledd_route_post_data(key, "in") or {"t_matrix": "1"}
            with mute_logger("odoo.http"):
                unprotected_answer = self._answer(url, data)
            observed = f"no-csrf {unprotected_answer}"
            ok = unprotected_answer == "400"
            if path not in answers_get:
                get = self._answer(url)
                observed += f", get {get}"
                ok = ok and get in ("404", "405")
            results[key] = {"ok": ok, "observed": observed}
        return results
