from odoo import api, fields, models

# Unit field: the field of the latest figures it shows.
ADOPTION_TRAINING_FIELDS = {
    "adoption_training_completion_share": "training_completion_share",
    "adoption_training_trained_share": "training_trained_share",
    "adoption_training_overdue_count": "training_overdue_count",
}


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    adoption_training_completion_share = fields.Float(
        compute="_compute_adoption_training", compute_sudo=False, string="Mandatory Training Complete (%)"
    )
    adoption_training_trained_share = fields.Float(
        compute="_compute_adoption_training", compute_sudo=False, string="People Fully Trained (%)"
    )
    adoption_training_overdue_count = fields.Integer(
        compute="_compute_adoption_training", compute_sudo=False, string="Mandatory Training Overdue"
    )

    @api.depends_context("uid")
    def _compute_adoption_training(self):
        """The training figures of the unit's latest figures, when the user may see them."""
        for unit in self:
            snapshot = unit.adoption_snapshot_id
            for field, source in ADOPTION_TRAINING_FIELDS.items():
                unit[field] = snapshot[source]
