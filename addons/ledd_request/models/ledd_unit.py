from odoo import fields, models


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    request_response_hours = fields.Float(
        string="Time to First Response (h)",
        help="Overrides the level's time to first response for this unit. 0 = use the level's.",
    )
    request_solve_hours = fields.Float(
        string="Time to Solve (h)",
        help="Overrides the level's time to solve for this unit. 0 = use the level's.",
    )
    request_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="Overrides the level's working hours for this unit.",
    )

    def _request_policy(self):
        """(response hours, solve hours, calendar) for requests handled here."""
        self.ensure_one()
        unit = self.sudo()
        return (
            unit.request_response_hours or unit.type_id.request_response_hours,
            unit.request_solve_hours or unit.type_id.request_solve_hours,
            unit.request_calendar_id or unit.type_id.request_calendar_id,
        )

    def _request_superusers(self):
        """Partners holding a current superuser role in this very unit: the
        handlers a request here is announced to."""
        self.ensure_one()
        roles = self.env["ledd.role"].sudo()
        return roles.search(
            [
                ("unit_id", "=", self.id),
                ("role_type_id.is_superuser", "=", True),
                *roles._current_on_date_domain(roles._ledd_today()),
            ]
        ).partner_id
