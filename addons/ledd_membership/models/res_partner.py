from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.depends(
        "member_lines.account_invoice_line",
        "member_lines.account_invoice_line.move_id.state",
        "member_lines.account_invoice_line.move_id.payment_state",
        "member_lines.account_invoice_line.move_id.partner_id",
        "free_member",
        "member_lines.date_to",
        "member_lines.date_from",
        "associate_member",
        "associate_member.membership_state",
    )
    def _compute_membership_state(self):
        """Contacts without membership lines nor associate member need no query.

        The upstream method runs three searches per contact, so creating or
        importing thousands of members would run them for each. Without lines
        the result is known: no dates, and the same state the upstream loop
        gives ('free' for a free member not marked paid, else 'none')."""
        simple = self.filtered(lambda partner: not partner.member_lines and not partner.associate_member)
        for partner in simple:
            partner.membership_start = False
            partner.membership_stop = False
            partner.membership_cancel = False
            partner.membership_state = "free" if partner.free_member and partner.membership_state != "paid" else "none"
        others = self - simple
        if others:
            return super(ResPartner, others)._compute_membership_state()

    @api.model
    def _ledd_shared_fields(self):
        """The member list and page of the portal show the membership state and
        dates of the members: role holders read them with the shared fields."""
        return super()._ledd_shared_fields() | {"membership_state", "membership_start", "membership_stop"}
