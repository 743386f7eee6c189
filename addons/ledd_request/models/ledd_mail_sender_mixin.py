from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import email_normalize

from .mail_thread import SENDER_AUTHENTICATED


class LeddMailSenderMixin(models.AbstractModel):
    """Whether the person a mail-made record names as its sender really sent it.

    Anyone can write another person's address in a mail's From. A record made
    from a mail is verified only when our own mail server vouched for the From
    address (``mail_thread.py``), or later, when a mail from that address
    answers a message Ledd mailed to it, or when a person the model trusts
    confirms it after checking by another channel. Records made by a logged-in
    person are verified. Nobody writes the flag otherwise: neither an alias's
    defaults nor a caller outside the mail gateway.

    The model names its sender (``_ledd_sender_partner``) and who may confirm
    one (``_ledd_may_confirm_sender``). Requests are the only records Ledd makes
    from mail, so the mixin lives with them and speaks of requests."""

    _name = "ledd.mail.sender.mixin"
    _description = "Verified Sender of a Record Made by Mail"
    _inherit = ["mail.thread"]

    sender_verified = fields.Boolean(
        default=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Unset when the request came by e-mail and nothing proved that the sender owns the address in From: "
        "anyone can write another person's address there. Requests made when logged in are verified.",
    )

    def _ledd_sender_partner(self):
        """The partner the record names as its sender."""
        raise NotImplementedError

    def _ledd_may_confirm_sender(self, user):
        """Whether ``user`` may vouch for the sender of this record."""
        raise NotImplementedError

    def write(self, vals):
        if "sender_verified" in vals and not self.env.su:
            # only the mail gateway's proof or a confirmation (action_confirm_sender)
            raise AccessError(self.env._("Use Confirm Sender to vouch for the sender of a request."))
        return super().write(vals)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Verified only on the gateway's word: the verdict comes from parsing
        the raw mail, and the gateway runs as superuser."""
        authenticated = bool(msg_dict.pop(SENDER_AUTHENTICATED, False)) and self.env.su
        values = dict(custom_values or {}, sender_verified=authenticated)
        return super().message_new(msg_dict, custom_values=values)

    def message_update(self, msg_dict, update_vals=None):
        """A mail into the thread verifies an unverified sender when it comes
        from the sender's address and our mail server vouched for it, or when it
        answers a message Ledd mailed to that very address on this record
        (whoever reads that mailbox wrote it).

        Limit: one Message-Id goes to everyone the message was mailed to; another
        follower (a handler, the requester of a merged duplicate) who forges the
        sender's From could quote it too."""
        authenticated = bool(msg_dict.pop(SENDER_AUTHENTICATED, False))
        if self.env.su:  # the gateway; nobody else may hand in a verdict
            sender = email_normalize(msg_dict.get("email_from") or "")
            for record in self.filtered(lambda r: not r.sender_verified):
                if not sender or record._ledd_sender_partner().email_normalized != sender:
                    continue
                if authenticated or record._was_mailed_to(msg_dict.get("parent_id"), sender):
                    record.write({"sender_verified": True})
        return super().message_update(msg_dict, update_vals=update_vals)

    def _was_mailed_to(self, message_id, address):
        """Whether ``message_id`` is a message of this record that Ledd mailed to ``address``."""
        self.ensure_one()
        message = self.env["mail.message"].sudo().browse(message_id or []).exists()
        if not message or (message.model, message.res_id) != (self._name, self.id):
            return False
        undelivered = ("bounce", "exception", "canceled")
        mailed = message.notification_ids.filtered(
            lambda n: n.notification_type == "email" and n.notification_status not in undelivered
        )
        return address in mailed.res_partner_id.mapped("email_normalized")

    def action_confirm_sender(self):
        """Vouch, after checking by another channel, that the sender sent the
        record: only then may it lead to changes in the sender's name (a login,
        an e-mail address)."""
        for record in self:
            if not record._ledd_may_confirm_sender(self.env.user):
                raise AccessError(
                    self.env._("Only the handlers of %(request)s may confirm who sent it.", request=record.display_name)
                )
        unverified = self.filtered(lambda r: not r.sender_verified)
        unverified.sudo().write({"sender_verified": True})
        for record in unverified:
            record.message_post(
                body=self.env._(
                    "%(user)s confirmed that %(person)s sent this request.",
                    user=self.env.user.name,
                    person=record._ledd_sender_partner().name or self.env._("the requester"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
