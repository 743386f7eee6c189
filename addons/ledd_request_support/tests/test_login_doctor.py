import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.ledd_request.tests.common import AUTHSERV_ID, LeddRequestCase, LeddRequestHttpCase, raw_mail


class TestLoginDoctorFromRequest(LeddRequestCase):
    """A login request leads to the login doctor for the person concerned, but
    only once nobody can be writing in someone else's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("ledd_request.authserv_id", AUTHSERV_ID)
        cls.Wizard = cls.env["ledd.support.wizard"]

    def _process(self, raw):
        request_id = self.env["mail.thread"].message_process("ledd.request", raw)
        request = self.env["ledd.request"].browse(request_id)
        request.request_type = "login"
        return request

    def test_login_request_opens_the_login_doctor(self):
        request = self._new_request(self.member_l1)
        action = request.with_user(self.user_manager).action_open_login_doctor()
        self.assertEqual(action["res_model"], "ledd.support.wizard")
        wizard = self.Wizard.browse(action["res_id"])
        self.assertEqual(wizard.partner_id, self.member_l1)

    def test_a_request_about_nobody_has_nobody_to_diagnose(self):
        request = self._new_request(self.member_l1)
        request.partner_id = False
        with self.assertRaises(UserError):
            request.with_user(self.user_manager).action_open_login_doctor()
        self.assertFalse(self.Wizard.search([("partner_id", "=", self.member_l1.id)]))

    def test_unverified_sender_is_refused_until_a_handler_confirms(self):
        request = self._process(raw_mail("<unverified-login@example.com>"))
        self.assertFalse(request.sender_verified)
        with self.assertRaises(UserError) as caught:
            request.with_user(self.user_manager).action_open_login_doctor()
        self.assertIn("not verified", str(caught.exception))
        self.assertFalse(self.Wizard.search([("partner_id", "=", self.member_l1.id)]))
        request.with_user(self.user_manager).action_confirm_sender()
        action = request.with_user(self.user_manager).action_open_login_doctor()
        self.assertEqual(self.Wizard.browse(action["res_id"]).partner_id, self.member_l1)

    def test_verified_mail_goes_straight_to_the_doctor(self):
        genuine = f"{AUTHSERV_ID}; dmarc=pass header.from=example.com"
        request = self._process(raw_mail("<verified-login@example.com>", [genuine]))
        self.assertTrue(request.sender_verified)
        action = request.with_user(self.user_manager).action_open_login_doctor()
        self.assertEqual(action["res_model"], "ledd.support.wizard")

    def test_the_form_offers_the_doctor_only_for_a_verified_login_request(self):
        form = self.env.ref("ledd_request.ledd_request_view_form")
        arch = self.env["ledd.request"].get_view(form.id)["arch"]
        button = re.search(r"<button[^>]*name=\"action_open_login_doctor\"[^>]*>", arch)
        self.assertTrue(button, "the form has the Login Doctor button")
        self.assertIn("not sender_verified", button.group(0))
        self.assertIn("request_type != 'login'", button.group(0))


@tagged("post_install", "-at_install")
class TestLoginDoctorLinkInThePortal(LeddRequestHttpCase):
    def test_handler_gets_the_link_once_the_sender_is_confirmed(self):
        request = self._new_request(self.member_l1, name="Bytt e-posten min", sender_verified=False)
        login_help = f'href="/my/login-help/{self.member_l1.id}"'
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertNotIn(login_help, self.url_open(f"/my/requests/{request.id}").text)
        token = self._csrf(f"/my/requests/{request.id}")
        self.url_open(f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "confirm_sender"})
        self.assertTrue(request.sender_verified)
        self.assertIn(login_help, self.url_open(f"/my/requests/{request.id}").text)

    def test_no_link_for_other_requests_or_for_the_requester(self):
        question = self._new_request(self.member_l1, request_type="question", name="Hvor er listen?")
        own = self._new_request(self.user_portal.partner_id, name="Får ikke logget inn")
        self.authenticate("t_portal_super", "t_portal_super")
        page = self.url_open(f"/my/requests/{question.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/my/login-help/", page.text)
        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/requests/{own.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/my/login-help/", page.text)
