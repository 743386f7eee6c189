import json
import os
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.ledd_demo.hooks import post_init_hook


class TestDemoGenerator(TransactionCase):
    """The generator builds the organisation it promises (checked on what this
    test's own calls created: the demo organisation of the install stays apart)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls.env["ledd.demo.generator"]
        cls.result = cls.generator.generate(size="XS", seed=7, code_prefix="T1")
        cls.units = cls.result["units"]
        # fixed by the seed
        cls.expected = {
            "activity": 74,
            "assignments": 31,
            "training_states": {"done": 16, "overdue": 7, "due": 8},
            "requests": 7,
            "request_states": {"closed": 4, "new": 1, "solved": 1, "escalated": 1},
            "escalated": 1,
        }

    def _units_of(self, xmlid):
        return self.units.filtered(lambda unit: unit.type_id == self.env.ref(xmlid))

    def test_units_in_four_levels_with_complete_names(self):
        national = self._units_of("ledd_base.unit_type_national")
        regions = self._units_of("ledd_base.unit_type_region")
        locals_ = self._units_of("ledd_base.unit_type_local")
        groups = self._units_of("ledd_base.unit_type_group")
        self.assertEqual(len(national), 1)
        self.assertEqual(national.code, "T1-N")
        self.assertEqual(len(regions), 15, "one region per county")
        self.assertEqual(regions.parent_id, national)
        # XS: Vestland (2 branches) and Oslo (1 municipality)
        self.assertEqual(len(locals_), 3)
        self.assertEqual(locals_.parent_id.mapped("name"), ["Vestland", "Oslo"])
        self.assertEqual(len(groups), 1)
        self.assertIn(groups.parent_id, locals_)
        self.assertEqual(self.units, self.env["ledd.unit"].search([("code", "=like", "T1-%")]))
        for unit in self.units:
            expected = " / ".join(reversed([ancestor.name for ancestor in self._ancestors(unit)]))
            self.assertEqual(unit.complete_name, expected)
        self.assertEqual(groups.complete_name.count(" / "), 3)
        self.assertTrue(groups.complete_name.startswith("Ledd Norge T1 / "))
        oslo = locals_.filtered(lambda unit: unit.parent_id.name == "Oslo")
        self.assertEqual((oslo.name, oslo.code), ("Oslo", "T1-L0301"))

    def _ancestors(self, unit):
        while unit:
            yield unit
            unit = unit.parent_id

    def test_members_live_in_populated_units(self):
        members = self.result["members"]
        self.assertEqual(len(members), 40)
        self.assertTrue(all(members.mapped("ledd_is_member")))
        populated = self.units.filtered(lambda unit: unit.child_ids or unit.type_id.code in ("local", "group"))
        self.assertLessEqual(set(members.ledd_unit_id.ids), set(populated.ids))
        self.assertTrue(all(email.endswith("@t1.example.org") for email in members.mapped("email")))
        self.assertTrue(all(phone.startswith("+47 ") for phone in members.mapped("phone")))

    def test_roles_in_every_branch(self):
        roles = self.result["roles"]
        ref = self.env.ref
        for local in self._units_of("ledd_base.unit_type_local"):
            current = roles.filtered(lambda role, local=local: role.unit_id == local and role.is_current)
            self.assertLessEqual(
                ref("ledd_base.role_type_leader")
                | ref("ledd_base.role_type_superuser")
                | ref("ledd_base.role_type_member_secretary"),
                current.role_type_id,
                local.name,
            )
        group = self._units_of("ledd_base.unit_type_group")
        self.assertEqual(
            roles.filtered(lambda role: role.unit_id == group).role_type_id, ref("ledd_base.role_type_leader")
        )
        self.assertLessEqual(roles.unit_id, self.units)
        self.assertTrue(roles.filtered(lambda role: not role.is_current), "former holders as history")

    def test_the_five_logins(self):
        logins = json.loads(self.env["ir.config_parameter"].get_param("ledd_demo.logins"))
        self.assertEqual(logins, self.result["logins"])
        self.assertEqual(len(logins), 5)
        self.assertEqual(logins[0], {"who": "Administrator", "login": "admin", "password": "admin"})
        users = {entry["login"]: self.env["res.users"].search([("login", "=", entry["login"])]) for entry in logins}
        self.assertEqual(list(users)[1:], ["t1-nasjonal", "t1-region", "t1-superbruker", "t1-medlem"])
        staff, region, superuser, member = (users[login] for login in list(users)[1:])
        self.assertTrue(staff._is_internal() and staff.has_group("ledd_base.group_manager"))
        self.assertTrue(region._is_internal())
        self.assertTrue(region.has_group("ledd_base.group_user"))
        self.assertFalse(region.has_group("ledd_base.group_manager"))
        self.assertEqual(region.ledd_scope_unit_ids.type_id, self.env.ref("ledd_base.unit_type_region"))
        self.assertLessEqual(region.ledd_scope_unit_ids, self.units)
        self.assertTrue(superuser.share and member.share)
        self.assertEqual(superuser.ledd_support_unit_ids.type_id, self.env.ref("ledd_base.unit_type_local"))
        self.assertLessEqual(superuser.ledd_support_unit_ids, self.units)
        self.assertFalse(member.partner_id.ledd_role_ids)
        self.assertEqual(member.partner_id.ledd_unit_id, superuser.partner_id.ledd_unit_id)
        for entry in logins[1:]:
            user = users[entry["login"]]
            user.with_user(user)._check_credentials(
                {"login": entry["login"], "password": entry["password"], "type": "password"},
                {"interactive": True},
            )
        # The other portal users have no password: only the printed logins get one.
        others = self.result["users"] - staff - region - superuser - member
        self.assertEqual(len(others), 2)
        self.assertTrue(all(others.mapped("share")))
        self.env.cr.execute(
            "SELECT count(*) FROM res_users WHERE id IN %s AND password IS NOT NULL", [tuple(others.ids)]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_memberships(self):
        members = self.result["members"]
        self.assertLessEqual({"paid", "old"}, set(members.mapped("membership_state")))
        year = date.today().year
        for member in members.filtered(lambda partner: partner.membership_state == "paid"):
            self.assertEqual(member.membership_stop, date(year, 12, 31))
            self.assertEqual(member.member_lines[:1].state, "paid")
        for member in members.filtered(lambda partner: partner.membership_state == "old"):
            self.assertEqual(member.membership_stop, date(year - 1, 12, 31))
        counts = self._units_of("ledd_base.unit_type_national")._ledd_membership_counts()
        national_counts = next(iter(counts.values()))
        self.assertEqual(sum(national_counts.values()), len(members))
        self.assertEqual(national_counts["paid"], len(members.filtered(lambda p: p.membership_state == "paid")))

    def test_login_history(self):
        users = self.result["users"]
        activity = self.env["ledd.user.activity"].search([("user_id", "in", users.ids)])
        self.assertEqual(len(activity), self.expected["activity"])
        today = date.today()
        self.assertTrue(all(today - timedelta(days=89) <= day <= today for day in activity.mapped("date")))
        self.assertLessEqual(activity.unit_id, self.units)
        for row in activity[:20]:
            self.assertEqual(row.partner_id, row.user_id.partner_id)
            self.assertEqual(row.unit_id, row.user_id.partner_id.ledd_unit_id)
        # the latest day used is the user's last login; the inactive never logged in
        active_users = activity.user_id
        for user in active_users:
            self.assertEqual(
                user.login_date.date(), max(activity.filtered(lambda r, u=user: r.user_id == u).mapped("date"))
            )
        self.assertFalse(any((users - active_users).mapped("login_date")))

    def test_training(self):
        channels = self.env["slide.channel"].search(
            [("name", "in", ["Velkommen til organisasjonen", "Personvern for tillitsvalgte"])]
        )
        self.assertEqual(len(channels), 2, "the courses are shared by every demo organisation")
        assignments = self.result["assignments"]
        self.assertEqual(
            assignments, self.env["ledd.training.assignment"].search([("role_id", "in", self.result["roles"].ids)])
        )
        self.assertEqual(len(assignments), self.expected["assignments"])
        self.assertLessEqual(assignments.unit_id, self.units)
        self.assertLessEqual(assignments.channel_id, channels)
        ref = self.env.ref
        self.assertEqual(
            assignments.role_type_id,
            ref("ledd_base.role_type_leader")
            | ref("ledd_base.role_type_superuser")
            | ref("ledd_base.role_type_volunteer"),
        )
        counts = {
            state: len(assignments.filtered(lambda a, s=state: a.state == s)) for state in ("done", "overdue", "due")
        }
        self.assertEqual(counts, self.expected["training_states"])
        today = date.today()
        for assignment in assignments.filtered(lambda a: a.state == "done"):
            self.assertTrue(assignment.role_id.date_start <= assignment.date_done <= today)
        self.assertTrue(all(a.date_due < today for a in assignments.filtered(lambda a: a.state == "overdue")))

    def test_support_requests(self):
        requests = self.result["requests"]
        self.assertEqual(len(requests), self.expected["requests"])
        locals_ = self._units_of("ledd_base.unit_type_local")
        self.assertLessEqual(requests.unit_id, self.units)
        self.assertLessEqual(requests.handling_unit_id, self.units)
        self.assertEqual(requests, self.env["ledd.request"].search([("unit_id", "child_of", self.units.ids)]))
        self.assertLessEqual(set(requests.mapped("request_type")), {"login", "error", "question", "wish"})
        states = {
            state: len(requests.filtered(lambda r, s=state: r.state == s)) for state in set(requests.mapped("state"))
        }
        self.assertEqual(states, self.expected["request_states"])
        for local in locals_:
            self.assertTrue(
                requests.filtered(lambda r, local=local: local in (r.unit_id, r.unit_id.parent_id)),
                f"requests from every local branch: {local.name}",
            )
        now = datetime.now()
        for request in requests:
            self.assertTrue(now - timedelta(days=91) <= request.create_date <= now)
            if request.state in ("solved", "closed"):
                self.assertTrue(request.create_date <= request.date_first_response <= request.date_solved)
                self.assertAlmostEqual(
                    request.solve_hours, (request.date_solved - request.create_date).total_seconds() / 3600, places=2
                )
            if request.state == "new":
                self.assertFalse(request.date_first_response)
        escalated = requests.filtered("escalation_count")
        self.assertEqual(len(escalated), self.expected["escalated"])
        self.assertEqual(escalated.mapped("state"), ["escalated"] * len(escalated))
        self.assertTrue(all(hop.date > hop.request_id.create_date for hop in escalated.hop_ids))

    def test_same_seed_same_organisation(self):
        again = self.generator.generate(size="XS", seed=7, code_prefix="T2")
        self.assertEqual(again["members"].mapped("name"), self.result["members"].mapped("name"))
        self.assertEqual(again["units"].mapped("name")[1:], self.units.mapped("name")[1:])
        self.assertEqual(
            [unit.code.replace("T2-", "T1-") for unit in again["units"]],
            self.units.mapped("code"),
        )
        self.assertEqual(len(again["assignments"]), len(self.result["assignments"]))
        self.assertEqual(again["requests"].mapped("name"), self.result["requests"].mapped("name"))
        self.assertEqual(
            self.env["ledd.user.activity"].search_count([("user_id", "in", again["users"].ids)]),
            self.expected["activity"],
        )
        other = self.generator.generate(size="XS", seed=8, code_prefix="T3")
        self.assertNotEqual(other["members"].mapped("name"), self.result["members"].mapped("name"))

    def test_refusals(self):
        with self.assertRaises(UserError):
            self.generator.generate(size="XS", seed=7, code_prefix="T1")
        with self.assertRaises(UserError):
            self.generator.generate(size="XXL", code_prefix="T4")
        manager = new_test_user(self.env, login="t_demo_manager", groups="base.group_user,ledd_base.group_manager")
        with self.assertRaises(AccessError):
            self.generator.with_user(manager).generate(size="XS", code_prefix="T5")

    def test_size_from_environment_and_parameter(self):
        self.env["ir.config_parameter"].set_param("ledd_demo.size", "m")
        with patch.dict(os.environ, {"LEDD_DEMO_SIZE": ""}):
            self.assertEqual(self.generator._ledd_demo_size(), "M")
        with patch.dict(os.environ, {"LEDD_DEMO_SIZE": "L"}):
            self.assertEqual(self.generator._ledd_demo_size(), "L")

    def test_data_file_places(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "no_municipalities_2024.csv"
            path.write_text("county_code,county_name,municipality_code,municipality_name\n03,Oslo,0301,Oslo\n")
            with patch.dict(os.environ, {"LEDD_DATA_DIR": folder}):
                self.assertEqual(self.generator._ledd_data_file(), path)
                self.assertEqual(
                    self.generator._ledd_read_municipalities(),
                    {"03": {"name": "Oslo", "municipalities": [("0301", "Oslo")]}},
                )
        missing = [Path(folder) / "nowhere.csv"]
        with patch.object(type(self.generator), "_ledd_data_candidates", return_value=missing):
            with self.assertRaisesRegex(UserError, "nowhere.csv"):
                self.generator._ledd_data_file()


class TestDemoInstall(TransactionCase):
    def test_install_generated_once(self):
        """The install hook generated the organisation; running it again adds nothing."""
        generator = self.env["ledd.demo.generator"]
        self.assertTrue(generator._ledd_demo_exists())
        unit_count = self.env["ledd.unit"].search_count([])
        post_init_hook(self.env)
        self.assertEqual(self.env["ledd.unit"].search_count([]), unit_count)
