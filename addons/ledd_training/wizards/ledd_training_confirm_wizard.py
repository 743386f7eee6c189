from odoo import fields, models


class LeddTrainingConfirmWizard(models.TransientModel):
    _name = "ledd.training.confirm.wizard"
    _description = "Confirm Attestation"

    assignment_ids = fields.Many2many("ledd.training.assignment", string="Attestations", required=True)
    date_done = fields.Date(
        string="Date of the Document",
        required=True,
        default=fields.Date.context_today,
        help="The date the document was issued: its validity counts from this date.",
    )
    document = fields.Binary(help="A copy of the document, if the organisation keeps one.")
    document_name = fields.Char()
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.assignment_ids._confirm(
            self.date_done, document=self.document, document_name=self.document_name, note=self.note
        )
        return {"type": "ir.actions.act_window_close"}
