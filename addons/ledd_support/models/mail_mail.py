from markupsafe import Markup

from odoo import api, fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    ledd_secret_link = fields.Boolean(
        string="Holds a Personal Link",
        readonly=True,
        copy=False,
        help="A reset or invitation link with its token: the link is removed if the mail cannot be delivered.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Odoo's own reset and invitation mails are created deep inside
        # auth_signup: the caller marks them through the context.
        if self.env.context.get("ledd_secret_link"):
            for vals in vals_list:
                vals.setdefault("ledd_secret_link", True)
        return super().create(vals_list)

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """A mail that was sent is deleted with its link (``auto_delete``); one
        that failed stays in the queue for the administrator to see: its link
        is removed, so that nobody but the person ever reads a valid token.
        Whoever sent it sends a new link (which invalidates this one anyway)."""
        res = super()._postprocess_sent_message(success_pids, failure_reason=failure_reason, failure_type=failure_type)
        failed = self.sudo().exists().filtered(lambda mail: mail.ledd_secret_link and mail.state == "exception")
        if failed:
            body = Markup("<p>%s</p>") % self.env._(
                "This message held a personal link and could not be delivered. The link was removed: "
                "send the person a new one."
            )
            failed.write({"body_html": body, "body": body})
        return res
