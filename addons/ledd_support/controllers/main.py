import logging

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)


class LeddLoginTrouble(http.Controller):
    """Public "Trouble logging in?" page: who in my branch can help me.

    The answer is the same whether or not the email is known; the help
    contacts go to the address by email, never to the screen."""

    @http.route("/web/login/help", type="http", auth="public", website=True, sitemap=False, methods=["GET", "POST"])
    def ledd_login_trouble(self, email="", **kw):
        values = {"email": (email or "").strip()[:254], "error": False, "sent": False}
        if request.httprequest.method == "POST":
            normalized = email_normalize(values["email"])
            if not normalized:
                values["error"] = request.env._("Please enter a valid email address, like name@example.com.")
            else:
                request.env["ledd.support.service"].sudo()._ledd_send_help_contacts(normalized)
                values["sent"] = True
        response = request.render("ledd_support.login_trouble", values)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response
