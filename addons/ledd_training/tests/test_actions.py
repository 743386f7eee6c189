from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase

from .common import LeddTrainingMixin


@freeze_time("2026-03-02")
class TestStaffActions(LeddTrainingMixin, TransactionCase):
    """Waive, extend and confirm: in one's scope, never for oneself."""

    @classmethod
    def setUpClass(cls):
        with freeze_time("2026-03-02"):
            super().setUpClass()
            cls._create_ledd_training()
            cls.course = cls.env["ledd.training.assignment"].search(
                [("partner_id", "=", cls.member_l1.id), ("requirement_id", "=", cls.req_course.id)]
            )
            cls.attest = cls.env["ledd.training.assignment"].search(
                [("partner_id", "=", cls.member_l1.id), ("requirement_id", "=", cls.req_attest.id)]
            )

    def _wizard(self, user, action, values):
        result = getattr(self.course.with_user(user), action)()
        form = Form(self.env[result["res_model"]].with_user(user).with_context(**result["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_waive_with_reason_in_scope(self):
        wizard = self._wizard(self.user_local, "action_waive", {"reason": "Trained by her employer"})
        wizard.action_waive()
        self.assertEqual(self.course.state, "waived")
        self.assertEqual(self.course.waive_reason, "Trained by her employer")
        self.assertEqual(self.course.waived_by_id, self.user_local)
        # Waived counts as held: no new cycle is opened next to it.
        self.env["ledd.training.sync"]._sync_partners(self.member_l1)
        self.assertEqual(len(self._assignments(self.member_l1, self.req_course)), 1)

    def test_waive_needs_a_reason(self):
        with self.assertRaises(UserError):
            self.course.with_user(self.user_local)._waive("   ")
        self.assertEqual(self.course.state, "due")

    def test_waive_refused_out_of_scope(self):
        with self.assertRaises(AccessError):
            self.course.with_user(self.user_sibling).action_waive()
        with self.assertRaises(AccessError):
            self.course.with_user(self.user_sibling)._waive("No")
        with self.assertRaises(AccessError):
            self.course.with_user(self.user_portal)._waive("No")
        self.assertEqual(self.course.state, "due")

    def test_nobody_waives_their_own_training(self):
        own_role = self.env["ledd.role"].create(
            {
                "partner_id": self.user_manager.partner_id.id,
                "unit_id": self.unit_n.id,
                "role_type_id": self.rt_volunteer.id,
            }
        )
        own = self._assignments(own_role.partner_id, self.req_course)
        with self.assertRaises(AccessError):
            own.with_user(self.user_manager)._waive("I know it")
        with self.assertRaises(AccessError):
            own.with_user(self.user_region)._waive("Not in my region")
        self.assertEqual(own.state, "due")

    def test_extend(self):
        with freeze_time("2026-04-05"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(self.course.state, "overdue")
            wizard = self._wizard(self.user_region, "action_extend", {"date_due": date(2026, 5, 1)})
            wizard.action_extend()
            self.assertEqual((self.course.state, self.course.date_due), ("due", date(2026, 5, 1)))
            with self.assertRaises(UserError):
                self.course.with_user(self.user_region)._extend(date(2026, 4, 1))
            with self.assertRaises(AccessError):
                self.course.with_user(self.user_sibling)._extend(date(2026, 6, 1))
        self.assertEqual(self.course.date_due, date(2026, 5, 1))

    def test_closed_training_cannot_be_changed(self):
        self.course.with_user(self.user_local)._waive("Done elsewhere")
        with self.assertRaises(UserError):
            self.course.with_user(self.user_local)._extend(date(2026, 6, 1))

    def test_confirm_attestation_with_a_document(self):
        result = self.attest.with_user(self.user_local).action_confirm_attestation()
        form = Form(self.env[result["res_model"]].with_user(self.user_local).with_context(**result["context"]))
        form.date_done = date(2025, 9, 1)
        form.document = "UERGIGNvcHk="
        form.save().action_confirm()
        self.assertEqual(self.attest.state, "done")
        self.assertEqual(self.attest.date_done, date(2025, 9, 1))
        self.assertEqual(self.attest.date_expiry, date(2028, 9, 1))
        self.assertEqual(self.attest.done_how, "document")
        self.assertEqual(self.attest.confirmed_by_id, self.user_local)
        self.assertTrue(self.attest.document)

    def test_confirm_refusals(self):
        with self.assertRaises(UserError):
            self.course.with_user(self.user_local)._confirm(date(2026, 3, 1))
        with self.assertRaises(UserError):
            self.attest.with_user(self.user_local)._confirm(date(2022, 1, 1))  # already expired
        with self.assertRaises(UserError):
            self.attest.with_user(self.user_local)._confirm(date(2026, 3, 3))  # in the future
        with self.assertRaises(AccessError):
            self.attest.with_user(self.user_sibling)._confirm(date(2026, 3, 1))
        with self.assertRaises(AccessError):
            self.attest.with_user(self.user_portal)._confirm(date(2026, 3, 1))
        self.assertEqual(self.attest.state, "due")

    def test_attestation_expires_by_date(self):
        self.attest.with_user(self.user_local)._confirm(date(2025, 9, 1))
        with freeze_time("2028-09-01"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(self.attest.state, "expired")
            renewal = self._assignments(self.member_l1, self.req_attest, states=("due",))
            self.assertEqual((renewal.cycle, renewal.date_due), (2, date(2028, 10, 31)))
