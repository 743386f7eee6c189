from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import TOTP_SECRET
from .test_service import LeddSupportCase


@tagged("post_install", "-at_install")
class TestLoginDoctor(LeddSupportCase):
    def _codes(self, partner, user=None):
        findings = self._as(user or self.user_portal_super).diagnose(partner.id)
        for finding in findings:
            self.assertEqual(set(finding), {"code", "severity", "message", "action"})
            self.assertIn(finding["severity"], ("success", "info", "warning", "danger"))
            self.assertTrue(finding["message"])
        return {finding["code"]: finding for finding in findings}

    def test_no_account(self):
        codes = self._codes(self.member_l1)
        self.assertEqual(codes["no_user"]["action"], "grant_portal_access")

    def test_no_and_invalid_email(self):
        self.member_g1.email = False
        self.assertIn("no_email", self._codes(self.member_g1))
        self.member_g1.email = "gro(at)example"
        codes = self._codes(self.member_g1)
        self.assertIn("invalid_email", codes)
        self.assertEqual(codes["invalid_email"]["action"], "change_email")

    def test_duplicate_email(self):
        self.member_g1.email = "mia@example.com"
        self.assertIn("duplicate_email", self._codes(self.member_g1))

    def test_never_logged_in_and_links(self):
        per = self.user_portal
        self.assertIn("invitation_not_sent", self._codes(per.partner_id))
        self._as(self.user_portal_super).grant_portal_access(per.partner_id.id)
        self.assertIn("invitation_pending", self._codes(per.partner_id))
        per.sudo().ledd_link_expiry_date = fields.Datetime.now() - timedelta(hours=1)
        codes = self._codes(per.partner_id)
        self.assertEqual(codes["invitation_expired"]["severity"], "danger")
        self.assertEqual(codes["invitation_expired"]["action"], "grant_portal_access")

    def test_odoo_own_reset_is_recorded(self):
        per = self.user_portal
        self._fake_login(per)
        per.with_user(self.env.ref("base.user_admin")).action_reset_password()
        self.assertEqual(per.sudo().ledd_link_kind, "reset")
        self.assertIn("reset_link_pending", self._codes(per.partner_id))

    def test_logged_in_reset_link_and_failed_logins(self):
        per = self.user_portal
        self._fake_login(per)
        codes = self._codes(per.partner_id)
        self.assertIn("last_login", codes)
        self.assertIn("ok", codes)
        self._as(self.user_portal_super).send_password_reset(per.partner_id.id)
        self.assertIn("reset_link_pending", self._codes(per.partner_id))
        per.sudo().write(
            {
                "ledd_link_expiry_date": fields.Datetime.now() - timedelta(minutes=5),
                "ledd_failed_login_count": 3,
                "ledd_failed_login_date": fields.Datetime.now(),
            }
        )
        codes = self._codes(per.partner_id)
        self.assertIn("reset_link_expired", codes)
        self.assertEqual(codes["failed_logins"]["action"], "send_password_reset")
        self.assertNotIn("ok", codes)

    def test_archived_and_two_factor(self):
        per = self.user_portal
        per.sudo().totp_secret = TOTP_SECRET
        self.assertEqual(self._codes(per.partner_id)["two_factor_on"]["action"], "reset_two_factor")
        per.active = False
        self.assertEqual(self._codes(per.partner_id)["archived"]["action"], "reactivate_user")

    def test_login_shared_with_another_account(self):
        per = self.user_portal
        per.login = "shared-login"
        self.user_group_super.partner_id.email = "shared-login"
        codes = self._codes(per.partner_id)
        self.assertIn("login_not_email", codes)

    def test_refusals_tell_nothing_about_the_person(self):
        self.assertEqual(list(self._codes(self.member_l3)), ["not_found"])
        self.assertEqual(list(self._codes(self.user_local.partner_id)), ["internal_user"])
        self.assertEqual(list(self._codes(self.user_peer_super.partner_id)), ["higher_role"])
        self.assertEqual(list(self._codes(self.member_l1, self.user_portal)), ["no_support_role"])

    def test_available_actions(self):
        service = self._as(self.user_portal_super)
        self.assertEqual(service._ledd_available_actions(self.member_l1.id), ["grant_portal_access", "change_email"])
        self.assertEqual(service._ledd_available_actions(self.member_l3.id), [])
        self.user_portal.active = False
        self.assertEqual(
            service._ledd_available_actions(self.user_portal.partner_id.id), ["reactivate_user", "change_email"]
        )

    def test_what_kind_of_account_does_not_leak(self):
        """Callers without a support or leader role over the person, and people
        outside their scope, get the answer of an id that does not exist."""
        admin = self.env.ref("base.user_admin").partner_id
        sara = self._as(self.user_portal_super)
        unknown = sara.diagnose(10**9)
        self.assertEqual([finding["code"] for finding in unknown], ["not_found"])
        outside = (
            admin,
            self.user_region.partner_id,  # staff of the region
            self.user_sibling.partner_id,  # staff of another branch
            self.user_region_super.partner_id,  # a superuser above Sara
            self.member_l3,  # a member of another branch
            self.member_nounit,
        )
        for partner in outside:
            self.assertEqual(sara.diagnose(partner.id), unknown, partner.name)
        # a member without any support or leader role: one answer whatever the id
        per = self._as(self.user_portal)
        answer = per.diagnose(10**9)
        for partner in (
            admin,
            self.user_local.partner_id,
            self.member_l1,
            self.member_l3,
            self.user_portal_super.partner_id,
        ):
            self.assertEqual(per.diagnose(partner.id), answer, partner.name)
        # the actions answer the same way
        result = sara.send_password_reset(admin.id)
        self.assertEqual((result["code"], result["message"]), ("not_found", unknown[0]["message"]))
