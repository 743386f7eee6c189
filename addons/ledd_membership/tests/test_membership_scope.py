from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from .common import LeddMembershipMixin


class TestMembershipScope(LeddMembershipMixin, TransactionCase):
    """Membership lines are scoped like their members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_membership()

    def _visible_lines(self, user):
        return self.env["membership.membership_line"].with_user(user).search([("id", "in", self.all_lines.ids)])

    def _lines(self, *keys):
        return self.env["membership.membership_line"].browse([self.lines[key].id for key in keys])

    def test_region_user_sees_the_lines_of_the_region(self):
        self.assertEqual(
            self._visible_lines(self.user_region),
            self._lines("member_l1", "member_g1", "member_l2", "member_r1"),
        )

    def test_local_user_sees_the_lines_of_the_branch_and_its_groups(self):
        self.assertEqual(self._visible_lines(self.user_local), self._lines("member_l1", "member_g1"))

    def test_sibling_region_user_sees_only_the_own_branch(self):
        self.assertEqual(self._visible_lines(self.user_sibling), self._lines("member_l3"))

    def test_manager_sees_every_line(self):
        self.assertEqual(self._visible_lines(self.user_manager), self.all_lines)

    def test_read_group_and_count_are_scoped(self):
        line_model = self.env["membership.membership_line"].with_user(self.user_local)
        domain = [("id", "in", self.all_lines.ids)]
        self.assertEqual(line_model.search_count(domain), 2)
        groups = line_model._read_group(domain, ["partner"], ["__count"])
        self.assertEqual(
            dict(groups),
            {self.member_l1: 1, self.member_g1: 1},
        )

    def test_out_of_scope_line_is_refused(self):
        line = self.lines["member_l3"].with_user(self.user_local)
        with self.assertRaises(AccessError):
            line.read(["member_price"])
        with self.assertRaises(AccessError):
            line.write({"member_price": 1.0})
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(AccessError):
            self.env["membership.membership_line"].with_user(self.user_local).create(
                {
                    "partner": self.member_l3.id,
                    "membership_id": self.membership_product.id,
                    "member_price": 10.0,
                }
            )

    def test_in_scope_line_can_be_maintained(self):
        line = self.lines["member_g1"].with_user(self.user_local)
        line.write({"member_price": 250.0})
        self.assertEqual(line.member_price, 250.0)

    def test_line_without_home_unit_only_for_managers(self):
        line = self.lines["member_nounit"]
        for user in (self.user_region, self.user_local, self.user_sibling):
            self.assertFalse(self._visible_lines(user) & line, user.login)
        self.assertTrue(self._visible_lines(self.user_manager) & line)

    def test_role_end_removes_the_lines_at_once(self):
        self.assertTrue(self._visible_lines(self.user_local))
        self.role_local.with_user(self.user_manager).action_end_today()
        self.assertFalse(self._visible_lines(self.user_local))

    def test_membership_analysis_is_scoped(self):
        # the analysis lists people in some membership state other than "none"
        self.test_members.write({"free_member": True})
        self.env.flush_all()
        report = self.env["report.membership"].with_user(self.user_local)
        partners = report.search([("partner_id", "in", self.test_members.ids)]).partner_id
        self.assertEqual(
            partners,
            self.member_l1 | self.member_g1 | self.user_portal.partner_id | self.user_portal_super.partner_id,
        )
        everyone = self.env["report.membership"].with_user(self.user_manager)
        self.assertEqual(everyone.search([("partner_id", "in", self.test_members.ids)]).partner_id, self.test_members)

    def test_unit_members_action_lists_membership(self):
        action = self.unit_l1.with_user(self.user_local).action_view_members()
        list_view = self.env.ref("ledd_membership.res_partner_view_list_ledd_membership")
        self.assertEqual(action["views"][0], (list_view.id, "list"))
        members = self.env["res.partner"].with_user(self.user_local).search(action["domain"])
        self.assertEqual(
            members & self.test_members,
            self.member_l1 | self.member_g1 | self.user_portal.partner_id | self.user_portal_super.partner_id,
        )
        lines_action = self.unit_r1.with_user(self.user_region).action_view_membership_lines()
        lines = self.env["membership.membership_line"].with_user(self.user_region).search(lines_action["domain"])
        self.assertEqual(lines & self.all_lines, self._lines("member_l1", "member_g1", "member_l2", "member_r1"))
        self.assertEqual(self.unit_r1.with_user(self.user_region).membership_line_count, 4)


class TestPortalReadsMembershipState(LeddMembershipMixin, TransactionCase):
    """Portal role holders read the membership state and dates of the members of
    their units (the portal pages show them), not their membership lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_membership()

    def test_membership_state_is_shared_lines_are_not(self):
        member = self.member_l1.with_user(self.user_portal_super)
        values = member.read(["membership_state", "membership_start", "membership_stop"])[0]
        self.assertEqual(values["membership_state"], self.member_l1.membership_state)
        self.assertEqual(values["membership_stop"], self.member_l1.membership_stop)
        for field_name in ("member_lines", "free_member", "associate_member"):
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                member.read([field_name])
        with self.assertRaises(AccessError):
            self.lines["member_l1"].with_user(self.user_portal_super).read(["member_price"])
        with self.assertRaises(AccessError):
            self.member_l3.with_user(self.user_portal_super).read(["membership_state"])
