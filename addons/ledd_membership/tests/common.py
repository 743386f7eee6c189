from datetime import timedelta

from odoo import fields

from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin


class LeddMembershipMixin(LeddOrganisationMixin):
    """Ledd's test organisation with a membership product and one membership
    line for each test member (see ledd_base's tests/common.py)."""

    @classmethod
    def _create_ledd_membership(cls):
        cls._create_ledd_organisation()
        today = fields.Date.today()
        cls.membership_product = cls.env["product.product"].create(
            {
                "name": "Ledd test membership",
                "membership": True,
                "membership_date_from": today - timedelta(days=30),
                "membership_date_to": today + timedelta(days=335),
                "type": "service",
                "list_price": 300.0,
            }
        )
        line_model = cls.env["membership.membership_line"]
        cls.lines = {}
        for key in ("member_l1", "member_g1", "member_l2", "member_l3", "member_r1", "member_nounit"):
            cls.lines[key] = line_model.create(
                {
                    "partner": getattr(cls, key).id,
                    "membership_id": cls.membership_product.id,
                    "date": today - timedelta(days=30),
                    "date_from": today - timedelta(days=30),
                    "date_to": today + timedelta(days=335),
                    "member_price": 300.0,
                }
            )
        cls.all_lines = line_model.browse([line.id for line in cls.lines.values()])
        cls.env.flush_all()
