from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from .common import LeddCase


class TestUnitStructureIsForManagers(LeddCase):
    """A unit's contact, parent, level, code and archive state change the shape of
    the tree and who counts as a member: only Ledd managers change them. A unit's
    contact is visible to every Ledd user, so it is never a person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_contact = cls.env["res.partner"].create({"name": "Bergen kontor", "is_company": True})

    def _structure_changes(self):
        """(field, new value) for every manager-only field of Bergen (L1)."""
        return [
            ("partner_id", self.member_l3.id),
            ("partner_id", self.company_contact.id),
            ("parent_id", self.unit_r2.id),
            ("parent_id", False),
            ("type_id", self.type_group.id),
            ("code", "T-HACKED"),
            ("active", False),
        ]

    def _assert_bergen_unchanged(self):
        self.unit_l1.invalidate_recordset()
        self.assertEqual(self.unit_l1.partner_id.name, "Bergen")
        self.assertEqual(self.unit_l1.parent_id, self.unit_r1)
        self.assertEqual(self.unit_l1.type_id, self.type_local)
        self.assertEqual(self.unit_l1.code, "T-L1")
        self.assertTrue(self.unit_l1.active)

    def test_scoped_staff_cannot_change_structure_of_their_own_units(self):
        for user in (self.user_local, self.user_region):
            for field_name, value in self._structure_changes():
                with self.subTest(user=user.login, field=field_name, value=value):
                    with self.assertRaises(AccessError):
                        self.unit_l1.with_user(user).write({field_name: value})
                    self._assert_bergen_unchanged()
        with self.assertRaises(AccessError):
            self.unit_l1.with_user(self.user_local).action_archive()
        self._assert_bergen_unchanged()

    def test_scoped_staff_still_edit_the_other_fields(self):
        self.unit_l1.with_user(self.user_local).write(
            {"name": "Bergen lokallag", "email": "bergen@example.com", "phone": "55555555"}
        )
        self.assertEqual(self.unit_l1.name, "Bergen lokallag")
        self.assertEqual(self.unit_l1.partner_id.email, "bergen@example.com")
        self.unit_l2.with_user(self.user_region).write({"phone": "56565656"})
        self.assertEqual(self.unit_l2.phone, "56565656")
        # a form or an import that sends the fields unchanged is not a change
        self.unit_l1.with_user(self.user_local).write(
            {
                "name": "Bergen",
                "code": "T-L1",
                "parent_id": self.unit_r1.id,
                "type_id": self.type_local.id,
                "partner_id": self.unit_l1.partner_id.id,
                "active": True,
            }
        )
        self._assert_bergen_unchanged()

    def test_the_form_shows_structure_fields_read_only_to_scoped_staff(self):
        self.assertFalse(self.unit_l1.with_user(self.user_local).may_change_structure)
        self.assertTrue(self.unit_l1.with_user(self.user_manager).may_change_structure)
        with Form(self.unit_l1.with_user(self.user_local)) as form:
            for field_name in ("partner_id", "parent_id", "type_id", "code"):
                with self.subTest(field=field_name):
                    self.assertTrue(form._get_modifier(field_name, "readonly"))
            form.name = "Bergen lokallag"
        self.assertEqual(self.unit_l1.name, "Bergen lokallag")

    def test_no_detour_through_the_contact_or_the_sub_units(self):
        # linking a unit to a contact from the contact's side writes the unit
        with self.assertRaises(AccessError):
            self.member_l1.with_user(self.user_local).write({"ledd_own_unit_ids": [Command.link(self.unit_l1.id)]})
        # moving a sub-unit from the parent's side writes the sub-unit
        with self.assertRaises(AccessError):
            self.unit_l1.with_user(self.user_region).write({"child_ids": [Command.link(self.unit_l2.id)]})
        self._assert_bergen_unchanged()
        self.assertEqual(self.unit_l2.parent_id, self.unit_r1)
        self.assertTrue(self.member_l1.ledd_is_member)

    def test_manager_changes_the_structure(self):
        unit = self.unit_l2.with_user(self.user_manager)
        unit.write(
            {
                "partner_id": self.company_contact.id,
                "parent_id": self.unit_r2.id,
                "type_id": self.type_group.id,
                "code": "T-L2-NEW",
            }
        )
        self.assertEqual(self.unit_l2.partner_id, self.company_contact)
        self.assertEqual(self.unit_l2.parent_id, self.unit_r2)
        self.assertEqual(self.unit_l2.type_id, self.type_group)
        self.assertEqual(self.unit_l2.code, "T-L2-NEW")
        unit.action_archive()
        self.assertFalse(self.unit_l2.active)

    def test_a_person_is_never_a_unit_contact(self):
        people = {
            "member of another region": self.member_l3,
            "member in scope": self.member_l1,
            "portal user": self.user_portal.partner_id,
            "staff": self.user_region.partner_id,
        }
        for label, person in people.items():
            with self.subTest(person=label):
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    self.unit_l1.with_user(self.user_manager).write({"partner_id": person.id})
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    self.env["ledd.unit"].sudo().create(
                        {"name": "Ny", "code": "T-NEW", "type_id": self.type_group.id, "partner_id": person.id}
                    )
        self._assert_bergen_unchanged()
        self.assertTrue(self.member_l3.ledd_is_member)
        self.assertFalse(self.member_l3.ledd_visible_to_all)

    def test_member_of_another_region_never_becomes_readable(self):
        attempts = [
            (self.user_local, self.unit_l1, AccessError),
            (self.user_region, self.unit_l2, AccessError),
            (self.user_manager, self.unit_l1, ValidationError),
        ]
        for user, unit, refusal in attempts:
            with self.subTest(user=user.login), self.assertRaises(refusal), self.cr.savepoint():
                unit.with_user(user).write({"partner_id": self.member_l3.id})
        for user in (self.user_local, self.user_region):
            with self.subTest(user=user.login):
                partners = self.env["res.partner"].with_user(user)
                self.assertFalse(partners.search([("id", "=", self.member_l3.id)]))
                self.assertFalse(partners.search_count([("name", "=", "Siri Stavanger")]))
                with self.assertRaises(AccessError):
                    self.member_l3.with_user(user).read(["name", "email"])

    def test_contact_change_is_tracked(self):
        # the units were created in this transaction, and creation discards the
        # tracking of its transaction: end that part as a commit would
        self.cr.flush()
        unit = self.unit_l2.with_user(self.user_manager).with_context(tracking_disable=False)
        unit.partner_id = self.company_contact
        self.env.flush_all()
        self.cr.flush()  # runs the tracking that a commit would
        messages = self.env["mail.message"].search([("model", "=", "ledd.unit"), ("res_id", "=", self.unit_l2.id)])
        tracked = messages.tracking_value_ids.field_id.mapped("name")
        self.assertIn("partner_id", tracked)
        for field_name in ("partner_id", "parent_id", "type_id", "code", "active"):
            with self.subTest(field=field_name):
                self.assertTrue(self.env["ledd.unit"]._fields[field_name].tracking)
