from odoo import api, models


class MembershipLine(models.Model):
    _inherit = "membership.membership_line"

    @api.depends("account_invoice_id.state", "account_invoice_id.amount_residual", "account_invoice_id.payment_state")
    def _compute_state(self):
        """A line without an invoice (a membership given, or taken over from an
        earlier register) is in state 'none', as the upstream method intends;
        the upstream query fails when no line of the batch has an invoice."""
        invoiced = self.filtered("account_invoice_id")
        for line in self - invoiced:
            line.state = "none"
        if invoiced:
            return super(MembershipLine, invoiced)._compute_state()
