from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import DAY, LeddAdoptionCase


class TestActivityRecord(LeddAdoptionCase):
    def _rows(self, user):
        return self.env["ledd.user.activity"].search([("user_id", "=", user.id)])

    def test_one_row_per_user_and_day(self):
        Activity = self.env["ledd.user.activity"]
        before = self._rows(self.user_manager)
        Activity._record(self.user_manager.ids, DAY)
        Activity._record(self.user_manager.ids, DAY)
        rows = self._rows(self.user_manager) - before
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.date, rows.partner_id), (DAY, self.user_manager.partner_id))

    def test_row_keeps_the_home_unit_of_the_day(self):
        row = self._rows(self.user_portal).filtered(lambda r: r.date == DAY.replace(day=30))
        self.assertEqual(row.unit_id, self.unit_l1)

    def test_password_login_records(self):
        self.user_region.with_user(self.user_region)._update_last_login()
        today = fields.Date.today()
        self.assertTrue(self._rows(self.user_region).filtered(lambda row: row.date == today))

    def test_activity_rows_are_scoped(self):
        Activity = self.env["ledd.user.activity"]
        rows = Activity.with_user(self.user_local).search([("unit_id", "in", self.test_units.ids)])
        self.assertEqual(rows.unit_id, self.unit_l1 | self.unit_g1)
        rows = Activity.with_user(self.user_owner).search([("unit_id", "in", self.test_units.ids)])
        self.assertEqual(rows.unit_id, self.unit_l1 | self.unit_g1 | self.unit_r1 | self.unit_l3)


@tagged("post_install", "-at_install")
class TestActivityHttp(HttpCase):
    def test_request_records_once_per_session_and_day(self):
        user = self.env["res.users"].create(
            {"name": "Aktiv Portal", "login": "t_activity", "password": "t_activity_pw", "groups_id": []}
        )
        user.groups_id = self.env.ref("base.group_portal")
        self.authenticate("t_activity", "t_activity_pw")
        Activity = self.env["ledd.user.activity"]
        self.assertEqual(len(Activity.search([("user_id", "=", user.id)])), 1)  # the login itself

        def forget():
            self.env.cr.execute(SQL("DELETE FROM ledd_user_activity WHERE user_id = %s", user.id))

        forget()
        self.assertEqual(self.url_open("/my").status_code, 200)
        self.assertEqual(len(Activity.search([("user_id", "=", user.id)])), 1)
        # The session knows today is recorded: later requests write nothing.
        forget()
        self.url_open("/my")
        self.assertFalse(Activity.search([("user_id", "=", user.id)]))
