from odoo.exceptions import AccessError

from .common import LeddCase


class TestMemberScope(LeddCase):
    """Exactly which members each persona sees, through every way of reading."""

    def _visible_members(self, user):
        return self.env["res.partner"].with_user(user).search([("id", "in", self.test_members.ids)])

    def test_members_seen_by_each_persona(self):
        portal = self.user_portal.partner_id
        portal_super = self.user_portal_super.partner_id
        expected = {
            self.user_manager: self.test_members,
            self.user_region: self.member_l1 | self.member_g1 | self.member_l2 | self.member_r1 | portal | portal_super,
            self.user_local: self.member_l1 | self.member_g1 | portal | portal_super,
            self.user_sibling: self.member_l3,
            self.user_portal: portal,
            # a portal superuser of Bergen: the members of Bergen and below, by the portal rule
            self.user_portal_super: self.member_l1 | self.member_g1 | portal | portal_super,
        }
        for user, members in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._visible_members(user), members)
                self.assertEqual(
                    self.env["res.partner"].with_user(user).search_count([("id", "in", self.test_members.ids)]),
                    len(members),
                )

    def test_read_group_counts_only_the_scope(self):
        groups = (
            self.env["res.partner"]
            .with_user(self.user_local)
            ._read_group([("id", "in", self.test_members.ids)], ["ledd_unit_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.unit_l1: 3, self.unit_g1: 1})
        groups = (
            self.env["res.partner"]
            .with_user(self.user_sibling)
            ._read_group([("id", "in", self.test_members.ids)], ["ledd_unit_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.unit_l3: 1})

    def test_name_search_hides_other_branches(self):
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.with_user(self.user_local).name_search("Siri Stavanger"))
        self.assertEqual(
            [row[0] for row in Partner.with_user(self.user_sibling).name_search("Siri Stavanger")],
            [self.member_l3.id],
        )
        self.assertEqual(
            [row[0] for row in Partner.with_user(self.user_region).name_search("Gro Gruppe")],
            [self.member_g1.id],
        )

    def test_out_of_scope_read_and_write_are_refused(self):
        with self.assertRaises(AccessError):
            self.member_l3.with_user(self.user_local).read(["name"])
        with self.assertRaises(AccessError):
            self.member_l3.with_user(self.user_local).write({"phone": "12345678"})
        with self.assertRaises(AccessError):
            self.member_l1.with_user(self.user_sibling).export_data(["name", "email"])
        # in scope: allowed
        self.member_l1.with_user(self.user_local).write({"phone": "12345678"})
        self.assertEqual(self.member_l1.phone, "12345678")
        rows = self.member_l1.with_user(self.user_local).export_data(["name", "email"])["datas"]
        self.assertEqual(rows, [["Mia Bergen", "mia@example.com"]])

    def test_staff_and_unit_contacts_stay_readable(self):
        staff = self.user_sibling.partner_id | self.user_manager.partner_id
        self.assertEqual(self.env["res.partner"].with_user(self.user_local).search([("id", "in", staff.ids)]), staff)
        contacts = self.unit_l3.partner_id | self.unit_r2.partner_id
        self.assertEqual(
            self.env["res.partner"].with_user(self.user_local).search([("id", "in", contacts.ids)]), contacts
        )
        # the users behind those contacts too (res.users reads its partner)
        self.assertEqual(self.user_sibling.with_user(self.user_local).name, "Stein Sibling")

    def test_scoped_user_creates_members_in_own_unit(self):
        partner = self.env["res.partner"].with_user(self.user_local).create({"name": "Ny Medlem"})
        self.assertEqual(partner.ledd_unit_id, self.unit_l1)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_local).create(
                {"name": "Feil Ledd", "ledd_unit_id": self.unit_l3.id}
            )

    def test_ending_a_role_removes_access_in_the_same_request(self):
        Partner = self.env["res.partner"].with_user(self.user_region)
        self.assertIn(self.member_l2, Partner.search([("id", "in", self.test_members.ids)]))
        self.role_region.with_user(self.user_manager).action_end_today()
        self.assertFalse(self.role_region.is_current)
        self.assertFalse(Partner.search([("id", "in", self.test_members.ids)]))
        self.assertFalse(self.user_region.ledd_scope_unit_ids)
        with self.assertRaises(AccessError):
            self.member_l2.with_user(self.user_region).read(["name"])

    def test_changing_a_role_changes_the_scope_at_once(self):
        self.role_local.with_user(self.user_manager).unit_id = self.unit_l3
        self.assertEqual(
            self._visible_members(self.user_local),
            self.member_l3,
        )
        # a role type that no longer sees members
        self.rt_leader.can_see_members = False
        self.assertFalse(self._visible_members(self.user_sibling))


class TestUnitAndRoleScope(LeddCase):
    def test_units_seen_by_each_persona(self):
        expected = {
            self.user_manager: self.test_units,
            self.user_region: self.unit_n | self.unit_r1 | self.unit_l1 | self.unit_l2 | self.unit_g1,
            self.user_local: self.unit_n | self.unit_r1 | self.unit_l1 | self.unit_g1,
            self.user_sibling: self.unit_n | self.unit_r2 | self.unit_l3,
            self.user_portal: self.unit_n | self.unit_r1 | self.unit_l1,
            # the units of the members they see, too
            self.user_portal_super: self.unit_n | self.unit_r1 | self.unit_l1 | self.unit_g1,
        }
        for user, units in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env["ledd.unit"].with_user(user).search([("id", "in", self.test_units.ids)]), units
                )
        self.assertFalse(self.env["ledd.unit"].with_user(self.user_local).name_search("Stavanger"))
        self.assertEqual(
            [row[0] for row in self.env["ledd.unit"].with_user(self.user_sibling).name_search("Stavanger")],
            [self.unit_l3.id],
        )

    def test_roles_seen_by_each_persona(self):
        all_roles = (
            self.role_region | self.role_local | self.role_sibling | self.role_portal_super | self.role_volunteer
        )
        expected = {
            self.user_manager: all_roles,
            self.user_region: self.role_region | self.role_local | self.role_portal_super | self.role_volunteer,
            self.user_local: self.role_local | self.role_portal_super | self.role_volunteer,
            self.user_sibling: self.role_sibling,
            self.user_portal: self.env["ledd.role"],
            self.user_portal_super: self.role_portal_super,
        }
        for user, roles in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self.env["ledd.role"].with_user(user).search([("id", "in", all_roles.ids)]), roles)
        groups = (
            self.env["ledd.role"]
            .with_user(self.user_local)
            ._read_group([("id", "in", all_roles.ids)], ["unit_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.unit_l1: 3})

    def test_scope_fields(self):
        self.assertEqual(self.user_region.ledd_scope_unit_ids, self.unit_r1)
        self.assertEqual(
            self.user_region.ledd_scope_subtree_unit_ids, self.unit_r1 | self.unit_l1 | self.unit_l2 | self.unit_g1
        )
        self.assertFalse(self.user_region.ledd_support_unit_ids)
        self.assertEqual(self.user_portal_super.ledd_support_unit_ids, self.unit_l1)
        self.assertEqual(self.user_portal_super.ledd_scope_unit_ids, self.unit_l1)
        self.assertFalse(self.user_portal.ledd_scope_unit_ids)

    def test_scoped_user_cannot_edit_units_outside_scope(self):
        self.unit_l1.with_user(self.user_local).write({"phone": "55555555"})
        with self.assertRaises(AccessError):
            self.unit_l3.with_user(self.user_local).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.unit_r1.with_user(self.user_local).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.env["ledd.unit"].with_user(self.user_local).create(
                {"name": "Ny", "code": "T-NEW", "type_id": self.type_group.id, "parent_id": self.unit_l1.id}
            )
