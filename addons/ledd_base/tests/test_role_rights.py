from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import LeddCase


class TestRightsGrantingRoles(LeddCase):
    """Who may give, change or end a role that grants rights."""

    def _give(self, user, partner, unit, role_type):
        return (
            self.env["ledd.role"]
            .with_user(user)
            .create({"partner_id": partner.id, "unit_id": unit.id, "role_type_id": role_type.id})
        )

    def test_manager_may_give_rights_anywhere(self):
        role = self._give(self.user_manager, self.member_l3, self.unit_l3, self.rt_superuser)
        self.assertTrue(role.is_current)
        self.assertTrue(role.grants_rights)

    def test_holder_strictly_above_may_give_rights(self):
        role = self._give(self.user_region, self.member_l1, self.unit_l1, self.rt_superuser)
        self.assertEqual(role.unit_id, self.unit_l1)
        # the local secretary may give rights in the group below Bergen
        role = self._give(self.user_local, self.member_g1, self.unit_g1, self.rt_leader)
        self.assertEqual(role.unit_id, self.unit_g1)

    def test_peer_in_the_same_unit_may_not_give_rights(self):
        with self.assertRaises(AccessError):
            self._give(self.user_local, self.member_l1, self.unit_l1, self.rt_superuser)
        self.assertFalse(
            self.env["ledd.role"].search(
                [("partner_id", "=", self.member_l1.id), ("role_type_id", "=", self.rt_superuser.id)]
            )
        )

    def test_nobody_gives_rights_to_themselves(self):
        with self.assertRaises(AccessError):
            self._give(self.user_region, self.user_region.partner_id, self.unit_l1, self.rt_superuser)
        with self.assertRaises(AccessError):
            self._give(self.user_manager, self.user_manager.partner_id, self.unit_n, self.rt_leader)
        with self.assertRaises(AccessError):
            self.role_local.with_user(self.user_local).date_end = False
        with self.assertRaises(AccessError):
            self.role_local.with_user(self.user_local).unit_id = self.unit_r1

    def test_other_branch_may_not_give_rights(self):
        with self.assertRaises(AccessError):
            self._give(self.user_sibling, self.member_l1, self.unit_l1, self.rt_superuser)

    def test_ending_rights_needs_the_same_permission(self):
        # a peer superuser's role in the same unit: refused
        with self.assertRaises(AccessError):
            self.role_portal_super.with_user(self.user_local).action_end_today()
        self.assertTrue(self.role_portal_super.is_current)
        # the region leader may end it
        self.role_portal_super.with_user(self.user_region).action_end_today()
        self.assertFalse(self.role_portal_super.is_current)
        self.assertFalse(self.user_portal_super.ledd_support_unit_ids)
        # the local secretary cannot end the region leader's role
        with self.assertRaises(AccessError):
            self.role_region.with_user(self.user_local).action_end_today()
        with self.assertRaises(AccessError):
            self.role_region.with_user(self.user_local).unlink()

    def test_upgrading_a_plain_role_to_rights_is_checked(self):
        with self.assertRaises(AccessError):
            self.role_volunteer.with_user(self.user_local).role_type_id = self.rt_superuser
        self.assertEqual(self.role_volunteer.role_type_id, self.rt_volunteer)

    def test_plain_roles_follow_the_scope_only(self):
        role = self._give(self.user_local, self.member_l1, self.unit_l1, self.rt_volunteer)
        self.assertFalse(role.grants_rights)
        with self.assertRaises(AccessError):
            self._give(self.user_local, self.member_l3, self.unit_l3, self.rt_volunteer)

    def test_role_dates_are_checked(self):
        with self.assertRaises(ValidationError):
            self.role_volunteer.write({"date_end": self.role_volunteer.date_start - timedelta(days=1)})


class TestRoleDates(LeddCase):
    def test_role_ending_by_date_stops_granting_that_day(self):
        today = fields.Date.today()
        self.role_region.write({"date_end": today + timedelta(days=2)})
        self.assertTrue(self.role_region.is_current)
        self.assertIn(self.member_l2, self.env["res.partner"].with_user(self.user_region).search([]))
        with freeze_time(today + timedelta(days=2)):
            updated = self.env["ledd.role"]._cron_update_current()
            self.assertEqual(updated, 1)
            self.assertFalse(self.role_region.is_current)
            self.assertNotIn(self.member_l2, self.env["res.partner"].with_user(self.user_region).search([]))
            # running it again changes nothing
            self.assertEqual(self.env["ledd.role"]._cron_update_current(), 0)

    def test_role_starting_by_date_grants_from_that_day(self):
        start = fields.Date.today() + timedelta(days=3)
        role = self.env["ledd.role"].create(
            {
                "partner_id": self.user_sibling.partner_id.id,
                "unit_id": self.unit_r1.id,
                "role_type_id": self.rt_leader.id,
                "date_start": start,
            }
        )
        self.assertFalse(role.is_current)
        self.assertNotIn(self.member_l2, self.env["res.partner"].with_user(self.user_sibling).search([]))
        with freeze_time(start):
            self.env["ledd.role"]._cron_update_current()
            self.assertTrue(role.is_current)
            self.assertIn(self.member_l2, self.env["res.partner"].with_user(self.user_sibling).search([]))

    def test_archived_role_grants_nothing_but_stays_as_history(self):
        self.role_local.with_user(self.user_region).active = False
        self.assertFalse(self.role_local.is_current)
        self.assertFalse(self.user_local.ledd_scope_unit_ids)
        self.assertIn(
            self.role_local,
            self.env["ledd.role"].with_context(active_test=False).search([("unit_id", "=", self.unit_l1.id)]),
        )

    def test_unit_form_shows_current_and_past_holders(self):
        self.role_volunteer.date_start = date(2020, 1, 1)
        self.role_volunteer.date_end = date(2021, 1, 1)
        self.assertIn(self.role_volunteer, self.unit_l1.past_role_ids)
        self.assertNotIn(self.role_volunteer, self.unit_l1.current_role_ids)
        self.assertEqual(self.unit_l1.current_role_ids, self.role_local | self.role_portal_super)
