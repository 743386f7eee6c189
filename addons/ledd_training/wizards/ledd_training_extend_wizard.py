from odoo import fields, models


class LeddTrainingExtendWizard(models.TransientModel):
    _name = "ledd.training.extend.wizard"
    _description = "Extend Training Due Date"

    assignment_ids = fields.Many2many("ledd.training.assignment", string="Training", required=True)
    date_due = fields.Date(string="New Due Date", required=True)

    def action_extend(self):
        self.ensure_one()
        self.assignment_ids._extend(self.date_due)
        return {"type": "ir.actions.act_window_close"}
