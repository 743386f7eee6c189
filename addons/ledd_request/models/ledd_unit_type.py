from odoo import fields, models


class LeddUnitType(models.Model):
    _inherit = "ledd.unit.type"

    request_response_hours = fields.Float(
        string="Time to First Response (h)",
        default=48.0,
        help="Hours a request may wait for a first response at a unit of this level "
        "before it is escalated to the level above. 0 = never escalate for lack of response.",
    )
    request_solve_hours = fields.Float(
        string="Time to Solve (h)",
        default=240.0,
        help="Hours a request may stay unsolved at a unit of this level before it is "
        "escalated to the level above. 0 = never escalate for lack of a solution.",
    )
    request_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="When set, the times above count working hours of this calendar only.",
    )
