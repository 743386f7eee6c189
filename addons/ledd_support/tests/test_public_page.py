import logging
import re
import statistics
import time
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import quote

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, config, email_normalize

from .common import LeddSupportMixin

_logger = logging.getLogger(__name__)

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
CSRF_VALUE = re.compile(r"\b[0-9a-f]{40}o[0-9]*\b")
NEUTRAL = "If an account exists for this address, we have sent a link"


@tagged("post_install", "-at_install")
class TestPublicLoginPages(LeddSupportMixin, HttpCase):
    """The public "Trouble logging in?" page and Odoo's "Reset Password" page
    answer alike for every address, do no work in the request and are limited
    per client address and overall."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()
        cls.set_param = cls.env["ir.config_parameter"].sudo().set_param
        cls.set_param("auth_signup.reset_password", "True")
        cls.set_param("ledd_support.login_help_limit_per_address", "5")
        cls.set_param("ledd_support.login_help_limit_global", "200")
        cls.set_param("ledd_support.login_help_window_minutes", "15")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF.search(response.text).group(1)

    @contextmanager
    def _from_address(self, address):
        """Requests as a reverse proxy forwards them for the client ``address``
        (Odoo with proxy_mode on)."""
        headers = {"X-Forwarded-For": address, "X-Forwarded-Host": "127.0.0.1", "X-Forwarded-Proto": "http"}
        with patch.dict(config.options, {"proxy_mode": True}):
            yield headers

    def _post(self, url, field, value, csrf, headers=None):
        return self.url_open(url, data={"csrf_token": csrf, field: value}, headers=headers)

    def _mail_count(self):
        self.env["mail.mail"].flush_model()
        return self.env["mail.mail"].sudo().search_count([])

    def _masked(self, response, value):
        """The page without the address asked and the session's CSRF token."""
        text = response.text.replace(value, "EMAIL").replace(quote(value, safe=""), "EMAIL")
        return CSRF_VALUE.sub("CSRF", text)

    @contextmanager
    def _capture_sent(self):
        """Addresses of the mails handed to the mail server."""
        sent = []

        def send_email(server, message, *args, **kwargs):
            sent.append(email_normalize(message["To"]))
            return message["Message-Id"]

        with patch.object(type(self.env["ir.mail_server"]), "send_email", autospec=True, side_effect=send_email):
            yield sent

    def _queue(self):
        return self.env["ledd.support.help.queue"].sudo()

    def _run_queue(self):
        cron = self.env.ref("ledd_support.ir_cron_ledd_help_queue")
        self.assertTrue(cron.active)
        self.assertLessEqual(cron.interval_number, 5)
        self.assertEqual(cron.interval_type, "minutes")
        self._queue()._cron_process_queue()

    # ------------------------------------------------------------------
    # "Trouble logging in?"
    # ------------------------------------------------------------------
    def test_help_page_known_and_unknown_answer_alike_and_queue_the_work(self):
        csrf = self._csrf("/web/login/help")
        before = self._mail_count()
        known = self._post("/web/login/help", "email", "mia@example.com", csrf)
        self.assertEqual(self._mail_count(), before, "no mail is created in the request")
        unknown = self._post("/web/login/help", "email", "nobody@example.com", csrf)
        self.assertEqual(self._mail_count(), before, "no mail is created in the request")
        self.assertEqual((known.status_code, unknown.status_code), (200, 200))
        self.assertEqual(self._masked(known, "mia@example.com"), self._masked(unknown, "nobody@example.com"))
        self.assertIn('id="ledd_login_trouble_sent"', known.text)
        self.assertEqual(self._queue().search_count([]), 2)
        self._run_queue()
        self.assertFalse(self._queue().search([]), "the queue is emptied")
        mail = self._mails("mia@example.com")
        self.assertEqual(len(mail), 1)
        self.assertIn("Sara Superbruker", mail.body_html)
        self.assertFalse(self._mails("nobody@example.com"))
        # the quiet period per person still holds when the cron mails
        self._post("/web/login/help", "email", "mia@example.com", csrf)
        self._run_queue()
        self.assertEqual(len(self._mails("mia@example.com")), 1)

    def test_limit_per_client_address(self):
        self.set_param("ledd_support.login_help_limit_per_address", "3")
        csrf = self._csrf("/web/login/help")
        with self._from_address("203.0.113.7") as headers:
            for _attempt in range(3):
                response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
                self.assertEqual(response.status_code, 200)
            response = self._post("/web/login/help", "email", "mia@example.com", csrf, headers)
            self.assertEqual(response.status_code, 429)
            self.assertIn("try again later", response.text)
            # the limit holds on Odoo's reset page too: it is the same budget
            reset_csrf = self._csrf("/web/reset_password")
            response = self._post("/web/reset_password", "login", "per@example.com", reset_csrf, headers)
            self.assertEqual(response.status_code, 429)
        self.assertEqual(self._queue().search_count([]), 3, "refused requests queue nothing")
        with self._from_address("203.0.113.8") as headers:
            response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
            self.assertEqual(response.status_code, 200, "another client has its own budget")

    def test_ipv6_clients_are_counted_per_64(self):
        self.set_param("ledd_support.login_help_limit_per_address", "2")
        csrf = self._csrf("/web/login/help")
        for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"):
            with self._from_address(address) as headers:
                response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
                self.assertEqual(response.status_code, 200)
        with self._from_address("2001:db8:1:2:aaaa::3") as headers:
            response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
            self.assertEqual(response.status_code, 429, "the same /64 is one client")
        with self._from_address("2001:db8:1:3::1") as headers:
            response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
            self.assertEqual(response.status_code, 200, "another /64 is another client")
        Queue = self._queue()
        self.assertEqual(Queue._ledd_client_network("2001:db8:1:2::1"), "2001:db8:1:2::/64")
        self.assertEqual(Queue._ledd_client_network("::ffff:192.0.2.1"), "192.0.2.1")
        self.assertEqual(Queue._ledd_client_network("192.0.2.1"), "192.0.2.1")

    def test_global_limit(self):
        self.set_param("ledd_support.login_help_limit_global", "4")
        csrf = self._csrf("/web/login/help")
        for number in range(4):
            with self._from_address(f"198.51.100.{number + 1}") as headers:
                response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
                self.assertEqual(response.status_code, 200)
        with self._from_address("198.51.100.99") as headers:
            response = self._post("/web/login/help", "email", "nobody@example.com", csrf, headers)
            self.assertEqual(response.status_code, 429)
            self.assertIn("try again later", response.text)
            reset_csrf = self._csrf("/web/reset_password")
            response = self._post("/web/reset_password", "login", "nobody@example.com", reset_csrf, headers)
            self.assertEqual(response.status_code, 429)

    def test_limits_can_be_turned_off_and_windows_expire(self):
        self.set_param("ledd_support.login_help_limit_per_address", "1")
        csrf = self._csrf("/web/login/help")
        self.assertEqual(self._post("/web/login/help", "email", "a@example.com", csrf).status_code, 200)
        self.assertEqual(self._post("/web/login/help", "email", "a@example.com", csrf).status_code, 429)
        # a window that has passed starts again
        self.env.cr.execute(
            SQL("UPDATE ledd_support_help_limit SET window_start = window_start - interval '16 minutes'")
        )
        self.assertEqual(self._post("/web/login/help", "email", "a@example.com", csrf).status_code, 200)
        self.set_param("ledd_support.login_help_limit_per_address", "0")
        for _attempt in range(3):
            self.assertEqual(self._post("/web/login/help", "email", "a@example.com", csrf).status_code, 200)

    # ------------------------------------------------------------------
    # Odoo's "Reset Password" page
    # ------------------------------------------------------------------
    def test_reset_page_answers_alike_for_every_outcome(self):
        archived = self._portal_user(self.member_l2, "vidar@example.com")
        archived.active = False
        dup_1 = self._portal_user(self.member_r1, "dup-1")
        dup_2 = self._portal_user(self.env["res.partner"].create({"name": "Dup To"}), "dup-2")
        (dup_1 | dup_2).partner_id.write({"email": "dup@example.com"})
        logins = {
            "unknown": "nobody@example.com",
            "known": "per@example.com",
            "archived": "vidar@example.com",
            "duplicate": "dup@example.com",
        }
        csrf = self._csrf("/web/reset_password")
        before = self._mail_count()
        answers = {}
        for outcome, login in logins.items():
            response = self._post("/web/reset_password", "login", login, csrf)
            self.assertEqual(self._mail_count(), before, f"{outcome}: no mail is created in the request")
            answers[outcome] = (response.status_code, self._masked(response, login))
        self.assertEqual(answers["known"][0], 200)
        self.assertIn(NEUTRAL, answers["known"][1])
        for outcome, answer in answers.items():
            self.assertEqual(answer, answers["known"], outcome)
        with self._capture_sent() as sent:
            self._run_queue()
        self.assertEqual(sent, ["per@example.com"], "only the known, active, single account gets a link")
        self.assertEqual(self.user_portal.sudo().ledd_link_kind, "reset")
        self.assertFalse(archived.sudo().ledd_link_sent_date)
        self.assertFalse((dup_1 | dup_2).sudo().filtered("ledd_link_sent_date"))

    def test_signup_email_is_the_same_for_known_and_unknown(self):
        self._fake_login(self.user_portal)
        for route in ("/web/reset_password", "/web/signup"):
            pages = []
            for email in ("per@example.com", "nobody@example.com"):
                response = self.url_open(f"{route}?token=nonsense&signup_email={email}", allow_redirects=False)
                pages.append((response.status_code, response.headers.get("Location"), self._masked(response, email)))
            self.assertEqual(pages[0], pages[1], route)
            self.assertEqual(pages[0][0], 200, route)
        pages = []
        for email in ("per@example.com", "nobody@example.com"):
            response = self.url_open(f"/web/reset_password?signup_email={email}", allow_redirects=False)
            pages.append((response.status_code, response.headers.get("Location"), self._masked(response, email)))
        self.assertEqual(pages[0], pages[1])

    def test_timing_known_vs_unknown(self):
        """Not an assertion on time (the machine is shared): the figures go to
        the test log. Both paths run the same statements."""
        self.set_param("ledd_support.login_help_limit_per_address", "100000")
        self.set_param("ledd_support.login_help_limit_global", "100000")
        figures = {}
        for url, field, known in (
            ("/web/login/help", "email", "mia@example.com"),
            ("/web/reset_password", "login", "per@example.com"),
        ):
            csrf = self._csrf(url)
            durations = {"known": [], "unknown": []}
            bodies = []
            for attempt in range(21):
                for kind, value in (("known", known), ("unknown", f"nobody{attempt}@example.com")):
                    started = time.perf_counter()
                    response = self._post(url, field, value, csrf)
                    elapsed = time.perf_counter() - started
                    self.assertEqual(response.status_code, 200)
                    bodies.append(self._masked(response, value))
                    if attempt:  # the first round warms the caches
                        durations[kind].append(elapsed * 1000)
            figures[url] = {kind: statistics.median(values) for kind, values in durations.items()}
            _logger.info(
                "Timing of %s over %s requests each: median known %.1f ms, unknown %.1f ms",
                url,
                len(durations["known"]),
                figures[url]["known"],
                figures[url]["unknown"],
            )
            for body in bodies:
                self.assertEqual(body, bodies[0], url)
        self.assertEqual(set(figures), {"/web/login/help", "/web/reset_password"})
