from odoo import api, fields, models

# Unit field: the field of the latest figures it shows.
ADOPTION_REQUEST_FIELDS = {
    "adoption_request_open_count": "request_open_count",
    "adoption_request_response_median": "request_response_median",
    "adoption_request_solve_median": "request_solve_median",
}


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    adoption_request_open_count = fields.Integer(
        compute="_compute_adoption_requests", compute_sudo=False, string="Open Requests"
    )
    adoption_request_response_median = fields.Float(
        compute="_compute_adoption_requests",
        compute_sudo=False,
        digits=(16, 1),
        string="Median Hours to First Response",
    )
    adoption_request_solve_median = fields.Float(
        compute="_compute_adoption_requests", compute_sudo=False, digits=(16, 1), string="Median Hours to Solve"
    )

    @api.depends_context("uid")
    def _compute_adoption_requests(self):
        """The request figures of the unit's latest figures, when the user may see them."""
        for unit in self:
            snapshot = unit.adoption_snapshot_id
            for field, source in ADOPTION_REQUEST_FIELDS.items():
                unit[field] = snapshot[source]
