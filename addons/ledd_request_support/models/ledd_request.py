from odoo import models
from odoo.exceptions import UserError


class LeddRequest(models.Model):
    _inherit = "ledd.request"

    def action_open_login_doctor(self):
        """A login problem: open the login doctor for the person concerned.

        Not for a mail whose sender nobody verified: "I lost my login, here is
        my new address" in someone else's name is how accounts are taken over.
        The doctor and its fixes check the caller's scope themselves."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("The request names no person to diagnose."))
        self._check_sender_verified()
        return self.partner_id.action_ledd_login_help()

    def _check_sender_verified(self):
        unverified = self.filtered(lambda r: not r.sender_verified)[:1]
        if unverified:
            raise UserError(
                self.env._(
                    "The sender of %(request)s is not verified: it came by e-mail, and anyone can write another "
                    "person's address as sender. Make sure by another channel (phone, in person) that %(person)s "
                    "sent it, then press Confirm Sender before changing a login or an e-mail address.",
                    request=unverified.name,
                    person=unverified.requester_partner_id.name or self.env._("the requester"),
                )
            )
