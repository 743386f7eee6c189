import html
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LeddSupportMixin

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPortalLoginHelp(LeddSupportMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF.search(response.text).group(1)

    def _link(self, email, route):
        mail = self._mails(email)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        match = re.search(r'href="[^"]*(/web/%s\?[^"]+)"' % route, mail.body_html)
        self.assertTrue(match, mail.body_html)
        return html.unescape(match.group(1))

    def _set_password(self, link, login, name, password):
        """Post the form the link opens, as the browser does."""
        token = re.search(r"token=([^&]+)", link).group(1)
        route = link.split("?")[0]
        csrf = self._csrf(link)
        response = self.url_open(
            route,
            data={
                "csrf_token": csrf,
                "token": token,
                "login": login,
                "name": name,
                "password": password,
                "confirm_password": password,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("alert-danger", response.text)

    def test_home_card_only_for_superusers(self):
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertIn('href="/my/login-help"', self.url_open("/my").text)
        self.authenticate("per@example.com", "t_portal")
        self.assertNotIn('href="/my/login-help"', self.url_open("/my").text)
        self.assertEqual(self.url_open("/my/login-help").status_code, 404)
        self.assertEqual(self.url_open(f"/my/login-help/{self.member_l1.id}").status_code, 404)

    def test_list_shows_only_the_support_scope(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/login-help")
        self.assertEqual(response.status_code, 200)
        for name in ("Mia Bergen", "Gro Gruppe", "Per Portal", "Gunn Gruppe"):
            self.assertIn(name, response.text)
        # Peder, her peer, is someone she may not help: not listed either
        for name in (
            "Siri Stavanger",
            "Vidar Voss",
            "Rune Region",
            "Uten Ledd",
            "Rita Region",
            "Liv Lokal",
            "Peder Peer",
        ):
            self.assertNotIn(name, response.text)
        response = self.url_open("/my/login-help?search=gro")
        self.assertIn("Gro Gruppe", response.text)
        self.assertNotIn("Mia Bergen", response.text)
        response = self.url_open("/my/login-help?search=per@example")
        self.assertIn("Per Portal", response.text)
        self.assertNotIn("Gro Gruppe", response.text)

    def test_out_of_scope_ids_answer_404(self):
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertEqual(self.url_open(f"/my/login-help/{self.member_l1.id}").status_code, 200)
        for partner in (self.member_l3, self.user_local.partner_id, self.user_region_super.partner_id):
            self.assertEqual(self.url_open(f"/my/login-help/{partner.id}").status_code, 404)
        csrf = self._csrf(f"/my/login-help/{self.member_l1.id}")
        response = self.url_open(f"/my/login-help/{self.member_l3.id}/grant_portal_access", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.member_l3.user_ids)
        response = self.url_open(f"/my/login-help/{self.member_l1.id}/unlink", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)

    @mute_logger("odoo.http")
    def test_forms_need_a_csrf_token(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open(f"/my/login-help/{self.member_l1.id}/grant_portal_access", data={"x": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.member_l1.user_ids)

    def test_reset_end_to_end(self):
        per = self.user_portal
        self.authenticate("t_portal_super", "t_portal_super")
        url = f"/my/login-help/{per.partner_id.id}"
        csrf = self._csrf(url)
        response = self.url_open(f"{url}/send_password_reset", data={"csrf_token": csrf, "reason": "Phoned me"})
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="ledd_login_help_result"', response.text)
        self.assertIn("per@example.com", response.text)
        self.assertIn('id="ledd_login_help_history"', response.text)
        log = self._logs(per.partner_id)
        self.assertEqual((log.outcome, log.channel, log.reason), ("done", "portal", "Phoned me"))
        self.assertTrue(log.remote_addr)
        # Per follows the link, chooses a password and logs in with it
        link = self._link("per@example.com", "reset_password")
        self.logout()
        self._set_password(link, "per@example.com", "Per Portal", "Ny-passord-2026!")
        self.authenticate("per@example.com", "Ny-passord-2026!")
        self.assertEqual(self.url_open("/my").status_code, 200)

    def test_invitation_end_to_end(self):
        self.authenticate("t_portal_super", "t_portal_super")
        url = f"/my/login-help/{self.member_l1.id}"
        csrf = self._csrf(url)
        self.url_open(f"{url}/grant_portal_access", data={"csrf_token": csrf})
        self.assertTrue(self.member_l1.user_ids)
        link = self._link("mia@example.com", "signup")
        self.logout()
        self._set_password(link, "mia@example.com", "Mia Bergen", "Mias-passord-2026!")
        self.authenticate("mia@example.com", "Mias-passord-2026!")
        self.assertEqual(self.url_open("/my").status_code, 200)

    def test_validation_messages(self):
        self.authenticate("t_portal_super", "t_portal_super")
        url = f"/my/login-help/{self.user_portal.partner_id.id}"
        csrf = self._csrf(url)
        response = self.url_open(f"{url}/change_email", data={"csrf_token": csrf, "new_email": "per at example"})
        self.assertIn("is not a valid email address", response.text)
        self.assertIn('data-code="invalid_email"', response.text)
        self.assertEqual(self.user_portal.partner_id.email, "per@example.com")
        response = self.url_open(f"{url}/reset_two_factor", data={"csrf_token": csrf, "reason": ""})
        self.assertIn('data-code="reason_required"', response.text)
        response = self.url_open(f"{url}/change_email", data={"csrf_token": csrf, "new_email": "per2@example.com"})
        self.assertIn('data-code="email_changed"', response.text)
        self.assertEqual(self.user_portal.partner_id.email, "per2@example.com")

    def test_people_the_actions_refuse_have_no_page(self):
        """A peer, a superuser above or staff: the person page answers 404 and the
        list does not show them, as the actions would refuse them."""
        # Rita helped Peder: that history must not reach Sara
        self._as(self.user_region_super).send_password_reset(self.user_peer_super.partner_id.id, "Asked by phone")
        self.authenticate("t_portal_super", "t_portal_super")
        for user in (self.user_peer_super, self.user_region_super, self.user_local):
            response = self.url_open(f"/my/login-help/{user.partner_id.id}")
            self.assertEqual(response.status_code, 404, user.name)
            self.assertNotIn(user.partner_id.email, response.text)
            self.assertNotIn(user.login, response.text)
            self.assertNotIn("Rita Region", response.text)
        listing = self.url_open("/my/login-help").text
        self.assertNotIn("Peder Peer", listing)
        self.assertNotIn("peder@example.com", listing)
        # Gunn's role lies below Sara's unit: her page is there
        response = self.url_open(f"/my/login-help/{self.user_group_super.partner_id.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("gunn@example.com", response.text)

    def test_out_of_scope_action_is_logged_and_answers_404(self):
        self.authenticate("t_portal_super", "t_portal_super")
        csrf = self._csrf(f"/my/login-help/{self.member_l1.id}")
        for partner in (self.member_l3, self.user_peer_super.partner_id):
            response = self.url_open(
                f"/my/login-help/{partner.id}/send_password_reset", data={"csrf_token": csrf, "reason": "Probing"}
            )
            self.assertEqual(response.status_code, 404, partner.name)
            row = self._logs(partner)
            self.assertEqual(len(row), 1, partner.name)
            self.assertRecordValues(
                row,
                [
                    {
                        "actor_id": self.user_portal_super.id,
                        "action": "send_password_reset",
                        "outcome": "refused",
                        "channel": "portal",
                        "reason": "Probing",
                    }
                ],
            )
        self.assertFalse(self._mails("siri@example.com") | self._mails("peder@example.com"))

    def test_failed_logins_are_counted(self):
        per = self.user_portal
        csrf = self._csrf("/web/login")
        self.url_open("/web/login", data={"csrf_token": csrf, "login": "per@example.com", "password": "wrong"})
        per.invalidate_recordset()
        self.assertEqual(per.sudo().ledd_failed_login_count, 1)
        self.assertTrue(per.sudo().ledd_failed_login_date)
        self.authenticate("per@example.com", "t_portal")
        per.invalidate_recordset()
        self.assertEqual(per.sudo().ledd_failed_login_count, 0)

    def test_public_trouble_page(self):
        response = self.url_open("/web/login")
        self.assertIn('href="/web/login/help"', response.text)
        csrf = self._csrf("/web/login/help")
        known = self.url_open("/web/login/help", data={"csrf_token": csrf, "email": "Mia@Example.com"})
        unknown = self.url_open("/web/login/help", data={"csrf_token": csrf, "email": "nobody@example.com"})
        self.assertEqual(known.status_code, 200)
        sent = re.compile(r'<p class="alert alert-success" role="status" id="ledd_login_trouble_sent">(.*?)</p>', re.S)
        self.assertEqual(sent.search(known.text).group(1), sent.search(unknown.text).group(1))
        self.assertNotIn("Sara", known.text)
        self.env["ledd.support.help.queue"]._cron_process_queue()  # the cron mails, not the request
        mail = self._mails("mia@example.com")
        self.assertEqual(len(mail), 1)
        self.assertIn("Sara Superbruker", mail.body_html)
        self.assertNotIn("Rita Region", mail.body_html)
        self.assertFalse(self._mails("nobody@example.com"))
        # asking again at once does not flood the inbox, and looks the same
        again = self.url_open("/web/login/help", data={"csrf_token": csrf, "email": "mia@example.com"})
        self.assertEqual(sent.search(again.text).group(1), sent.search(known.text).group(1))
        self.env["ledd.support.help.queue"]._cron_process_queue()
        self.assertEqual(len(self._mails("mia@example.com")), 1)
        invalid = self.url_open("/web/login/help", data={"csrf_token": csrf, "email": "not-an-email"})
        self.assertIn("Please enter a valid email address", invalid.text)

    def test_tour_help_others_log_in(self):
        self.start_tour("/my", "ledd_support_portal_tour", login="t_portal_super")
        self.assertTrue(self.member_l1.user_ids)
        self.assertEqual(self._logs(self.member_l1).outcome, "done")
