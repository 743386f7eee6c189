from odoo.addons.ledd_base.tests.common import LeddCase, LeddOrganisationMixin


class LeddRequestMixin(LeddOrganisationMixin):
    """Ledd's test organisation plus escalation times and a national superuser.

    Superusers: Sara (portal) in Bergen (L1), Nora at the national office (N).
    Regions have none, so Voss (L2) routes to the national office."""

    @classmethod
    def _create_request_setup(cls):
        env = cls.env
        cls.type_local.write({"support_response_hours": 2, "support_solve_hours": 24})
        cls.type_region.write({"support_response_hours": 4, "support_solve_hours": 48})
        cls.type_national.write({"support_response_hours": 8, "support_solve_hours": 96})
        cls.national_super = env["res.partner"].create({"name": "Nora Nasjonal", "email": "nora@example.com"})
        cls.role_national_super = env["ledd.role"].create(
            {"partner_id": cls.national_super.id, "unit_id": cls.unit_n.id, "role_type_id": cls.rt_superuser.id}
        )
        env["ir.config_parameter"].sudo().set_param("ledd_support.vendor_email", "vendor@example.com")

    @classmethod
    def _new_request(cls, partner, **values):
        return cls.env["ledd.support.request"].create(
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
