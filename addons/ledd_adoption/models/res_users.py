from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _update_last_login(self):
        # Password logins count as activity too, also when no further request follows.
        res = super()._update_last_login()
        self.env["ledd.user.activity"].sudo()._record(self.ids)
        return res
