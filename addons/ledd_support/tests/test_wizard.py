from odoo.tests import Form, tagged

from .test_service import LeddSupportCase


@tagged("post_install", "-at_install")
class TestLoginHelpWizard(LeddSupportCase):
    def _open(self, partner, user):
        action = partner.with_user(user).action_ledd_login_help()
        return self.env["ledd.support.wizard"].with_user(user).browse(action["res_id"])

    def test_wizard_offers_only_what_applies_and_acts(self):
        self.role_local.write({"role_type_id": self.rt_superuser.id})
        wizard = self._open(self.member_l1, self.user_local)
        self.assertIn("no_user", wizard.findings_html)
        self.assertTrue(wizard.can_grant_portal_access)
        self.assertFalse(wizard.can_send_password_reset)
        self.assertFalse(wizard.can_reset_two_factor)
        wizard.action_grant_portal_access()
        self.assertTrue(wizard.result_ok)
        self.assertTrue(self.member_l1.user_ids)
        self.assertEqual(self._logs(self.member_l1).channel, "backend")

    def test_wizard_refusal_is_shown(self):
        wizard = self._open(self.member_l3, self.user_manager)
        with Form(wizard) as form:
            form.new_email = "not an email"
        wizard.action_change_email()
        self.assertFalse(wizard.result_ok)
        self.assertIn("not a valid email", wizard.result_message)
        self.assertEqual(self.member_l3.email, "siri@example.com")

    def test_out_of_scope_wizard_offers_nothing(self):
        wizard = self._open(self.member_l3, self.user_sibling)
        self.assertIn("no_support_role", wizard.findings_html)
        self.assertFalse(
            wizard.can_send_password_reset
            or wizard.can_grant_portal_access
            or wizard.can_change_email
            or wizard.can_reactivate_user
            or wizard.can_reset_two_factor
        )

    def test_button_only_for_ledd_users(self):
        plain = self.env["res.users"].create(
            {"name": "Plain Staff", "login": "t_plain", "groups_id": [(6, 0, self.env.ref("base.group_user").ids)]}
        )
        arch = self.env["res.partner"].with_user(self.user_local).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_ledd_login_help", arch)
        arch = self.env["res.partner"].with_user(plain).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_ledd_login_help", arch)
