import logging

import werkzeug.exceptions

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.auth_signup.controllers.main import AuthSignupHome

_logger = logging.getLogger(__name__)


def _secure_page(response):
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


def _too_many_requests():
    return request.env._("Too many requests from your network. Please try again later.")


class LeddLoginTrouble(http.Controller):
    """Public "Trouble logging in?" page: who in my branch can help me.

    The answer is the same whether or not the email is known, and so is the
    work done in the request: it only queues the address (a cron looks it up
    and mails the help contacts); the help contacts go to the address by
    email, never to the screen. Limited per client address and overall."""

    @http.route("/web/login/help", type="http", auth="public", website=True, sitemap=False, methods=["GET", "POST"])
    def ledd_login_trouble(self, email="", **kw):
        values = {"email": (email or "").strip()[:254], "error": False, "sent": False}
        status = 200
        if request.httprequest.method == "POST":
            queue = request.env["ledd.support.help.queue"].sudo()
            normalized = email_normalize(values["email"])
            if not queue._ledd_check_client_limit():
                values["error"] = _too_many_requests()
                status = 429
            elif not normalized:
                values["error"] = request.env._("Please enter a valid email address, like name@example.com.")
            else:
                queue._ledd_enqueue("help_contacts", normalized)
                values["sent"] = True
        return _secure_page(request.render("ledd_support.login_trouble", values, status=status))


class LeddAuthSignupHome(AuthSignupHome):
    """Odoo's "Reset Password" page gives one answer for every login.

    Odoo says "No account found", "Multiple accounts found" or that the
    account is archived, and its ``?signup_email=`` redirects to the login
    page only for existing accounts: each tells a stranger whether an address
    has an account. Here every submitted login gets the same message and the
    same work (queued, the cron does the reset), under the same limits as the
    "Trouble logging in?" page; ``signup_email`` only counts with a valid link
    of that very person."""

    def get_auth_signup_qcontext(self):
        qcontext = super().get_auth_signup_qcontext()
        if "signup_email" in qcontext and not self._ledd_link_is_for(qcontext, qcontext["signup_email"]):
            del qcontext["signup_email"]
        return qcontext

    def _ledd_link_is_for(self, qcontext, email):
        """True if the request carries a valid link of the person with ``email``."""
        token = qcontext.get("token")
        if not token or qcontext.get("invalid_token"):
            return False
        partner = request.env["res.partner"].sudo()._get_partner_from_token(token)
        normalized = email_normalize(email or "")
        return bool(partner and normalized and email_normalize(partner.email or "") == normalized)

    @http.route()
    def web_auth_reset_password(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if qcontext.get("token") or request.httprequest.method != "POST":
            # The form, and the link holder choosing a password: Odoo's own flow.
            return super().web_auth_reset_password(*args, **kw)
        if not qcontext.get("reset_password_enabled"):
            raise werkzeug.exceptions.NotFound()
        status = 200
        queue = request.env["ledd.support.help.queue"].sudo()
        login = (qcontext.get("login") or "").strip()
        if not queue._ledd_check_client_limit():
            qcontext["error"] = _too_many_requests()
            status = 429
        elif not login:
            qcontext["error"] = request.env._("Enter the email address you log in with.")
        elif not request.env["ir.http"]._verify_request_recaptcha_token("password_reset"):
            qcontext["error"] = request.env._("Suspicious activity detected by Google reCaptcha.")
        else:
            _logger.info("Password reset asked for from %s", request.httprequest.remote_addr)
            queue._ledd_enqueue("reset_password", login)
            qcontext["message"] = request.env._(
                "If an account exists for this address, we have sent a link to choose a new password. "
                "Look in your inbox, and in your spam folder."
            )
        return _secure_page(request.render("auth_signup.reset_password", qcontext, status=status))
