from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import LeddCase


class TestUnitHierarchy(LeddCase):
    def test_complete_name_follows_the_tree(self):
        self.assertEqual(self.unit_g1.complete_name, "Nasjonalt / Vestland / Bergen / Bergen ungdom")
        self.unit_r1.name = "Vestland fylkeslag"
        self.assertEqual(self.unit_g1.complete_name, "Nasjonalt / Vestland fylkeslag / Bergen / Bergen ungdom")
        self.assertEqual(self.unit_g1.display_name, self.unit_g1.complete_name)

    def test_child_of_uses_parent_path(self):
        Unit = self.env["ledd.unit"]
        self.assertEqual(
            Unit.search([("id", "child_of", self.unit_r1.id)]),
            self.unit_r1 | self.unit_l1 | self.unit_l2 | self.unit_g1,
        )
        self.assertEqual(
            Unit.search([("id", "parent_of", self.unit_g1.id)]),
            self.unit_n | self.unit_r1 | self.unit_l1 | self.unit_g1,
        )
        self.assertTrue(self.unit_g1.parent_path.startswith(self.unit_n.parent_path))

    def test_unit_cannot_become_its_own_ancestor(self):
        with self.assertRaises(UserError):
            self.unit_n.parent_id = self.unit_g1
        with self.assertRaises(UserError):
            self.unit_l1.parent_id = self.unit_l1
        # nothing moved
        self.assertFalse(self.unit_n.parent_id)
        self.assertEqual(self.unit_l1.parent_id, self.unit_r1)

    def test_moving_a_subtree(self):
        self.unit_l1.parent_id = self.unit_r2
        self.assertEqual(
            self.env["ledd.unit"].search([("id", "child_of", self.unit_r2.id)]),
            self.unit_r2 | self.unit_l3 | self.unit_l1 | self.unit_g1,
        )
        self.assertEqual(self.unit_g1.complete_name, "Nasjonalt / Rogaland / Bergen / Bergen ungdom")

    def test_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["ledd.unit"].create({"name": "Copy", "code": "T-L1", "type_id": self.type_local.id})

    def test_unit_gets_its_own_contact(self):
        contact = self.unit_l1.partner_id
        self.assertTrue(contact.is_company)
        self.assertEqual(contact.name, "Bergen")
        self.assertEqual(contact.ledd_unit_id, self.unit_l1)
        self.assertFalse(contact.ledd_is_member)
        self.assertTrue(contact.ledd_visible_to_all)

    def test_member_count_covers_the_subtree(self):
        # L1: Mia, Per, Sara; G1: Gro
        self.assertEqual(self.unit_l1.member_count, 4)
        self.assertEqual(self.unit_g1.member_count, 1)
        self.assertEqual(self.unit_l2.member_count, 1)
        self.assertEqual(self.unit_r1.child_count, 2)
        action = self.unit_l1.action_view_members()
        members = self.env["res.partner"].search(action["domain"])
        self.assertEqual(
            members,
            self.member_l1 | self.member_g1 | self.user_portal.partner_id | self.user_portal_super.partner_id,
        )

    def test_help_contacts_walk_up_the_tree(self):
        # Bergen has a superuser: Sara
        self.assertEqual(self.unit_l1._get_help_contacts(), self.role_portal_super)
        # Voss has nobody: its region's leader
        self.assertEqual(self.unit_l2._get_help_contacts(), self.role_region)
        # The group below Bergen: Bergen's superuser
        self.assertEqual(self.unit_g1._get_help_contacts(), self.role_portal_super)
        self.assertEqual(self.unit_l3._get_help_contacts(), self.role_sibling)
        # the national office has nobody and no parent
        self.assertFalse(self.unit_n._get_help_contacts())
