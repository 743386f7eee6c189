from odoo import models, tools


class ResPartner(models.Model):
    _inherit = "res.partner"

    def init(self):
        res = super().init()
        # The login doctor and the public help page look people up by email.
        tools.create_index(self.env.cr, "res_partner_ledd_email_normalized_idx", self._table, ["email_normalized"])
        return res

    def action_ledd_login_help(self):
        """Open the "Help with login" wizard for this person."""
        self.ensure_one()
        wizard = self.env["ledd.support.wizard"].create({"partner_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Help with login"),
            "res_model": "ledd.support.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
