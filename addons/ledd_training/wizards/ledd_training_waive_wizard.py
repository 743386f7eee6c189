from odoo import fields, models


class LeddTrainingWaiveWizard(models.TransientModel):
    _name = "ledd.training.waive.wizard"
    _description = "Waive Training"

    assignment_ids = fields.Many2many("ledd.training.assignment", string="Training", required=True)
    reason = fields.Text(required=True, help="Why the person does not need this training. Kept on the record.")

    def action_waive(self):
        self.ensure_one()
        self.assignment_ids._waive(self.reason)
        return {"type": "ir.actions.act_window_close"}
