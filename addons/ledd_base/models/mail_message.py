from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        """Searching messages, a portal user finds those of the contacts that are
        their own, not of every contact they may read: the record rule lets a role
        holder read the members of their units, not their correspondence (see
        ``res.partner._get_thread_with_access``)."""
        if doc_model == "res.partner" and not self.env.su and self.env.user.share:
            others = set(self.env["res.partner"].browse(doc_dict)._ledd_others().ids)
            doc_dict = {doc_id: message_ids for doc_id, message_ids in doc_dict.items() if doc_id not in others}
        return super()._find_allowed_model_wise(doc_model, doc_dict)
