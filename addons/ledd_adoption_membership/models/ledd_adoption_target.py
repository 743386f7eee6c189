from odoo import api, models


class LeddAdoptionTarget(models.Model):
    _inherit = "ledd.adoption.target"

    @api.model
    def _selection_kpi(self):
        return super()._selection_kpi() + [
            ("member_paying_share", self.env._("Paying Members (%)")),
            ("member_lapsed_share", self.env._("Lapsed Members (%)")),
        ]

    @api.model
    def _lower_is_better_kpis(self):
        return super()._lower_is_better_kpis() | {"member_lapsed_share"}
