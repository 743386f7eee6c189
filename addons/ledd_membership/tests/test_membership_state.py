from datetime import timedelta
from unittest.mock import patch

from odoo import fields

from odoo.addons.ledd_base.tests.common import LeddCase


class TestMembershipState(LeddCase):
    """Membership states of contacts and lines without invoices."""

    def test_new_contacts_cost_no_membership_search(self):
        line_class = type(self.env["membership.membership_line"])
        with patch.object(line_class, "search", autospec=True, side_effect=line_class.search) as search:
            partners = self.env["res.partner"].create(
                [
                    {"name": f"Medlem {index}", "ledd_unit_id": self.unit_l1.id, "free_member": index % 2 == 0}
                    for index in range(20)
                ]
            )
            self.env.flush_all()
        self.assertEqual(search.call_count, 0)
        self.assertEqual(set(partners.filtered("free_member").mapped("membership_state")), {"free"})
        self.assertEqual(set((partners - partners.filtered("free_member")).mapped("membership_state")), {"none"})
        self.assertFalse(any(partners.mapped("membership_start")))

    def test_lines_without_invoice(self):
        today = fields.Date.today()
        product = self.env["product.product"].create(
            {
                "name": "Ledd test membership",
                "membership": True,
                "membership_date_from": today,
                "membership_date_to": today + timedelta(days=364),
                "type": "service",
                "list_price": 100.0,
            }
        )
        lines = self.env["membership.membership_line"].create(
            [
                {
                    "partner": partner.id,
                    "membership_id": product.id,
                    "date_from": today,
                    "date_to": today + timedelta(days=364),
                    "member_price": 100.0,
                }
                for partner in self.member_l1 | self.member_l2
            ]
        )
        self.env.flush_all()
        self.assertEqual(set(lines.mapped("state")), {"none"})
        self.assertEqual(self.member_l1.membership_start, today)
        self.assertEqual(self.member_l1.membership_stop, today + timedelta(days=364))
        self.assertEqual(self.member_l1.membership_state, "none")
