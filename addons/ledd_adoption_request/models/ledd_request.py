from odoo import models
from odoo.tools.sql import create_index

# The columns the adoption figures select requests by, besides the unit and
# state (indexed by the requests addon already).
INDEXED_COLUMNS = ("create_date", "date_first_response", "date_solved")


class LeddRequest(models.Model):
    _inherit = "ledd.request"

    def init(self):
        res = super().init()
        for column in INDEXED_COLUMNS:
            # Odoo's own name for an index=True column: no duplicate if the field gets one.
            create_index(self.env.cr, f"{self._table}__{column}_index", self._table, [column])
        return res
