from odoo import api, models


class LeddAdoptionTarget(models.Model):
    _inherit = "ledd.adoption.target"

    @api.model
    def _selection_kpi(self):
        return super()._selection_kpi() + [
            ("training_completion_share", self.env._("Training Completion (%)")),
            ("training_trained_share", self.env._("People Fully Trained (%)")),
            ("training_overdue_count", self.env._("Overdue Training")),
        ]

    @api.model
    def _lower_is_better_kpis(self):
        return super()._lower_is_better_kpis() | {"training_overdue_count"}
