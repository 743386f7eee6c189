from odoo import fields, models


class LeddRequestHop(models.Model):
    _name = "ledd.request.hop"
    _description = "Support Request Escalation"
    _order = "date desc, id desc"

    request_id = fields.Many2one("ledd.request", required=True, index=True, ondelete="cascade")
    from_unit_id = fields.Many2one("ledd.unit", string="From", ondelete="set null", index=True)
    to_unit_id = fields.Many2one("ledd.unit", string="To", ondelete="set null", index=True)
    to_vendor = fields.Boolean()
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    reason = fields.Selection(
        [
            ("no_response", "No response in time"),
            ("not_solved", "Not solved in time"),
            ("manual", "Escalated by a handler"),
        ],
        required=True,
    )
    note = fields.Char()
