import html
import re
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessDenied, AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import LeddSupportMixin

LINK = re.compile(r'href="[^"]*(/web/(?:reset_password|signup)\?[^"]+)"')
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


class LinkMixin(LeddSupportMixin):
    """Reset and invitation links: who can read them, and how long they work."""

    def _link_of(self, mail):
        match = LINK.search(mail.body_html or "")
        self.assertTrue(match, mail.body_html)
        return html.unescape(match.group(1))

    def _token_of(self, link):
        return re.search(r"token=([^&]+)", link).group(1)

    def _send_reset(self, partner=None):
        partner = partner or self.user_portal.partner_id
        result = self._as(self.user_portal_super).send_password_reset(partner.id, reason="Forgot it")
        self.assertTrue(result["ok"], result)
        mail = self._mails(partner.email)[:1]  # mail.mail is ordered newest first
        return mail, self._link_of(mail)

    def _send_invitation(self, partner):
        result = self._as(self.user_portal_super).grant_portal_access(partner.id)
        self.assertTrue(result["ok"], result)
        mail = self._mails(partner.email)[:1]
        return mail, self._link_of(mail)

    def _messages_with_link(self, user):
        """Every message ``user`` can find whose body holds a signup link."""
        messages = self.env["mail.message"].with_user(user).search([])
        return messages.filtered(lambda msg: "token=" in (msg.body or "") or "/web/reset_password" in (msg.body or ""))


@tagged("post_install", "-at_install")
class TestLinkMailIsPrivate(LinkMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()

    def test_link_mail_is_built_as_odoo_builds_its_reset(self):
        mail, link = self._send_reset()
        self.assertIn("/web/reset_password?", link)
        self.assertRecordValues(
            mail,
            [
                {
                    "model": False,
                    "res_id": False,
                    "message_type": "user_notification",
                    "auto_delete": True,
                    "state": "outgoing",
                    "email_to": "per@example.com",
                }
            ],
        )
        self.assertTrue(mail.ledd_secret_link, "marked: its link is removed if it fails")
        self.assertEqual(mail.create_uid.id, SUPERUSER_ID)
        self.assertNotEqual(mail.author_id, self.user_portal_super.partner_id)
        self.assertFalse(mail.recipient_ids | mail.partner_ids)
        # the chatter says that a link was sent, not the link
        notes = self.user_portal.partner_id.message_ids
        self.assertTrue(notes.filtered(lambda msg: "new password was sent" in (msg.body or "")))
        self.assertFalse(notes.filtered(lambda msg: "token=" in (msg.body or "")))
        self.assertNotIn("token=", self._logs(self.user_portal.partner_id).detail)

    def test_staff_and_the_sender_cannot_read_the_link(self):
        mail, _link = self._send_reset()
        invitation, _link = self._send_invitation(self.member_l1)
        for user in (self.user_region, self.user_portal_super, self.user_local):
            self.assertFalse(self._messages_with_link(user), user.name)
            for message in (mail | invitation).mail_message_id:
                with self.assertRaises(AccessError, msg=user.name):
                    message.with_user(user).read(["body"])
            self.assertFalse(
                self.env["mail.message"]
                .with_user(user)
                .search([("model", "=", "res.users"), ("res_id", "in", (mail | invitation).mapped("res_id"))])
            )

    def test_sent_link_mail_leaves_no_trace(self):
        mail, link = self._send_reset()
        token = self._token_of(link)
        mail.send()
        self.assertFalse(mail.exists(), "the sent mail is deleted with its message")
        self.assertFalse(self.env["mail.mail"].sudo().search([("body_html", "ilike", token)]))
        self.assertFalse(self.env["mail.message"].sudo().search([("body", "ilike", token)]))
        self.assertFalse(self.env["mail.message"].sudo().search([("body", "ilike", "/web/reset_password?")]))

    def test_failed_link_mail_loses_its_link(self):
        mail, link = self._send_reset()
        mail_server_class = type(self.env["ir.mail_server"])
        with patch.object(mail_server_class, "connect", side_effect=ConnectionRefusedError("no mail server")):
            mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertNotIn(self._token_of(link), mail.body_html or "")
        self.assertNotIn("/web/reset_password", mail.body_html or "")
        self.assertNotIn("token=", mail.mail_message_id.body or "")
        # a mail server refusing the message once connected
        invitation, link = self._send_invitation(self.member_l1)
        with (
            patch.object(mail_server_class, "send_email", side_effect=OSError("refused")),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            invitation.send()
        self.assertEqual(invitation.state, "exception")
        self.assertNotIn(self._token_of(link), invitation.body_html or "")
        self.assertNotIn("/web/signup", invitation.body_html or "")

    def test_other_failed_mails_keep_their_body(self):
        result = self._as(self.user_portal_super).change_email(self.user_portal.partner_id.id, "per.ny@example.com")
        self.assertTrue(result["ok"], result)
        mail = self._mails("per.ny@example.com")
        body = mail.body_html
        with patch.object(type(self.env["ir.mail_server"]), "connect", side_effect=ConnectionRefusedError("down")):
            mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertEqual(mail.body_html, body)


@tagged("post_install", "-at_install")
class TestNewLinkInvalidatesTheOld(LinkMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()

    def _partner_of(self, token):
        return self.env["res.partner"].sudo()._get_partner_from_token(token)

    def test_second_reset_refuses_the_first(self):
        per = self.user_portal.partner_id
        _mail, first = self._send_reset()
        first_token = self._token_of(first)
        self.assertEqual(self._partner_of(first_token), per)
        _mail, second = self._send_reset()
        second_token = self._token_of(second)
        self.assertFalse(self._partner_of(first_token), "the old link must stop working")
        self.assertEqual(self._partner_of(second_token), per)

    def test_reinvitation_refuses_the_first_invitation(self):
        mia = self.member_l1
        _mail, first = self._send_invitation(mia)
        _mail, second = self._send_invitation(mia)
        self.assertFalse(self._partner_of(self._token_of(first)))
        self.assertEqual(self._partner_of(self._token_of(second)), mia)

    def test_odoo_own_flows_refuse_the_ledd_link(self):
        per = self.user_portal
        _mail, link = self._send_reset()
        token = self._token_of(link)
        self.assertTrue(self._partner_of(token))
        per.sudo().action_reset_password()  # Odoo's own "Send Password Reset Instructions"
        self.assertFalse(self._partner_of(token))
        _mail, link = self._send_reset()
        token = self._token_of(link)
        per.partner_id.sudo().signup_prepare(signup_type="reset")
        self.assertFalse(self._partner_of(token))

    def test_tokens_of_other_people_are_untouched(self):
        _mail, link = self._send_reset()
        token = self._token_of(link)
        self._send_invitation(self.member_l1)
        self.assertEqual(self._partner_of(token), self.user_portal.partner_id)


@tagged("post_install", "-at_install")
class TestOldLinkRefusedByThePages(LinkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()

    def _post_password(self, link, login, password):
        token = self._token_of(link)
        page = self.url_open(link)
        csrf = CSRF.search(page.text).group(1)
        return self.url_open(
            link.split("?")[0],
            data={
                "csrf_token": csrf,
                "token": token,
                "login": login,
                "password": password,
                "confirm_password": password,
            },
        )

    def _password_is(self, user, password):
        """True if ``password`` is the user's password (HttpCase.authenticate does not check it)."""
        credential = {"login": user.login, "password": password, "type": "password"}
        try:
            user.with_user(user)._check_credentials(credential, {"interactive": False})
        except AccessDenied:
            return False
        return True

    def test_old_reset_link_is_refused(self):
        _mail, old = self._send_reset()
        _mail, new = self._send_reset()
        page = self.url_open(old)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Invalid signup token", page.text)
        self.assertNotIn('name="password"', page.text)
        response = self._post_password(old, "per@example.com", "Stjalet-passord-2026!")
        self.assertIn("alert-danger", response.text)
        self.assertFalse(self._password_is(self.user_portal, "Stjalet-passord-2026!"))
        page = self.url_open(new)
        self.assertNotIn("Invalid signup token", page.text)
        self.assertIn('name="password"', page.text)
        response = self._post_password(new, "per@example.com", "Nytt-passord-2026!")
        self.assertNotIn("alert-danger", response.text)
        self.assertTrue(self._password_is(self.user_portal, "Nytt-passord-2026!"))

    def test_old_invitation_link_is_refused(self):
        _mail, old = self._send_invitation(self.member_l1)
        _mail, new = self._send_invitation(self.member_l1)
        self.assertIn("/web/signup?", old)
        page = self.url_open(old)
        self.assertIn("Invalid signup token", page.text)
        page = self.url_open(new)
        self.assertNotIn("Invalid signup token", page.text)
        self.assertIn('name="password"', page.text)
