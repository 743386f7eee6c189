from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError

from .common import LeddCase


class TestRightsFollowRoleDatesWithoutCron(LeddCase):
    """A role's rights start and end on its dates, with the first request of the
    day: neither the nightly cron nor a cleared cache is needed.

    "The next request" is simulated by freezing the clock on the next day and
    emptying the record cache, as a new transaction starts with one; the
    registry caches (record rule domains) are left as they are."""

    def _next_request(self, day):
        self.env.invalidate_all()
        return freeze_time(day)

    def _assert_region_sees_voss(self, sees):
        partners = self.env["res.partner"].with_user(self.user_region)
        domain = [("id", "in", self.test_members.ids)]
        if sees:
            self.assertIn(self.member_l2, partners.search(domain))
            self.assertEqual(partners.search_count([("id", "=", self.member_l2.id)]), 1)
            self.assertEqual(self.member_l2.with_user(self.user_region).read(["name"])[0]["name"], "Vidar Voss")
            self.assertIn(self.role_local, self.env["ledd.role"].with_user(self.user_region).search([]))
            return
        self.assertFalse(partners.search(domain))
        self.assertEqual(partners.search_count([("id", "=", self.member_l2.id)]), 0)
        self.assertFalse(partners.name_search("Vidar Voss"))
        with self.assertRaises(AccessError):
            self.member_l2.with_user(self.user_region).read(["name"])
        with self.assertRaises(AccessError):
            self.member_l2.with_user(self.user_region).write({"phone": "12345678"})
        roles = self.env["ledd.role"].with_user(self.user_region)
        self.assertEqual(roles.search([("id", "in", (self.role_local | self.role_region).ids)]), self.role_region)

    def test_role_ended_by_date_loses_its_rights_on_that_day(self):
        today = fields.Date.today()
        self.role_region.date_end = today + timedelta(days=1)
        self._assert_region_sees_voss(True)
        with self._next_request(today + timedelta(days=1)):
            # no cron ran: the stored flag still says current
            self.assertTrue(self.role_region.is_current)
            self._assert_region_sees_voss(False)
            self.assertFalse(self.user_region.ledd_scope_unit_ids)

    def test_role_starting_by_date_grants_from_that_day(self):
        tomorrow = fields.Date.today() + timedelta(days=1)
        self.role_region.date_start = tomorrow
        self._assert_region_sees_voss(False)
        with self._next_request(tomorrow):
            self.assertFalse(self.role_region.is_current)
            self._assert_region_sees_voss(True)

    def test_ended_role_no_longer_lets_give_rights_below(self):
        # still a secretary in Bergen, so Bergen stays in scope; the region role
        # above Bergen is what allowed giving rights there
        self.env["ledd.role"].create(
            {
                "partner_id": self.user_region.partner_id.id,
                "unit_id": self.unit_l1.id,
                "role_type_id": self.rt_secretary.id,
            }
        )
        today = fields.Date.today()
        self.role_region.date_end = today + timedelta(days=1)
        with self._next_request(today + timedelta(days=1)):
            self.assertTrue(self.role_region.is_current)
            with self.assertRaises(AccessError):
                self.env["ledd.role"].with_user(self.user_region).create(
                    {
                        "partner_id": self.member_l1.id,
                        "unit_id": self.unit_l1.id,
                        "role_type_id": self.rt_superuser.id,
                    }
                )
            self.assertEqual(self.user_region.ledd_scope_unit_ids, self.unit_l1)

    def test_help_contacts_follow_the_dates(self):
        today = fields.Date.today()
        self.role_region.date_end = today + timedelta(days=1)
        self.assertEqual(self.unit_l2._get_help_contacts(), self.role_region)
        with self._next_request(today + timedelta(days=1)):
            self.assertFalse(self.unit_l2._get_help_contacts())
