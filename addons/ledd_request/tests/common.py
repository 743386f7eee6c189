import re

from odoo.tests import HttpCase

from odoo.addons.ledd_base.tests.common import LeddCase, LeddOrganisationMixin

AUTHSERV_ID = "mx.ledd.example"


def raw_mail(message_id, auth_results=(), sender="Mia Bergen <mia@example.com>", extra_headers=""):
    """An RFC 822 mail to the support alias; ``auth_results`` top first,
    as each relay adds its header above the ones it received."""
    headers = "".join(f"Authentication-Results: {value}\r\n" for value in auth_results)
    return (
        f"{headers}"
        "Return-Path: <mia@example.com>\r\n"
        "To: support@example.com\r\n"
        f"From: {sender}\r\n"
        f"{extra_headers}"
        "Subject: Kan ikke logge inn\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Jeg har byttet e-post, kan dere sende lenken til ny-adresse@example.net?\r\n"
    )


class LeddRequestMixin(LeddOrganisationMixin):
    """Ledd's test organisation plus escalation times and a national superuser.

    Superusers: Sara (portal) in Bergen (L1), Nora at the national office (N).
    Regions have none, so Voss (L2) routes to the national office."""

    @classmethod
    def _create_request_setup(cls):
        env = cls.env
        cls.type_local.write({"request_response_hours": 2, "request_solve_hours": 24})
        cls.type_region.write({"request_response_hours": 4, "request_solve_hours": 48})
        cls.type_national.write({"request_response_hours": 8, "request_solve_hours": 96})
        cls.national_super = env["res.partner"].create({"name": "Nora Nasjonal", "email": "nora@example.com"})
        cls.role_national_super = env["ledd.role"].create(
            {"partner_id": cls.national_super.id, "unit_id": cls.unit_n.id, "role_type_id": cls.rt_superuser.id}
        )
        env["ir.config_parameter"].sudo().set_param("ledd_request.vendor_email", "vendor@example.com")

    @classmethod
    def _new_request(cls, partner, **values):
        return cls.env["ledd.request"].create(
            {
                "name": values.pop("name", "Kan ikke logge inn"),
                "request_type": values.pop("request_type", "login"),
                "requester_partner_id": partner.id,
                **values,
            }
        )


class LeddRequestCase(LeddRequestMixin, LeddCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_request_setup()


class LeddRequestHttpCase(LeddRequestMixin, HttpCase):
    """The request organisation for portal tests, and the form's CSRF token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
        cls._create_request_setup()

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
