from odoo import api, models

# Median figures and the count of requests they are taken over: no requests, no light.
MEDIAN_COUNTS = {
    "request_response_median": "request_answered_90_count",
    "request_solve_median": "request_solved_90_count",
}


class LeddAdoptionTarget(models.Model):
    _inherit = "ledd.adoption.target"

    @api.model
    def _selection_kpi(self):
        return super()._selection_kpi() + [
            ("request_open_count", self.env._("Open Requests")),
            ("request_vendor_count", self.env._("Requests with the Vendor")),
            ("request_response_median", self.env._("Median Hours to First Response")),
            ("request_solve_median", self.env._("Median Hours to Solve")),
            ("request_escalated_share", self.env._("Escalated Requests (%)")),
        ]

    @api.model
    def _lower_is_better_kpis(self):
        return super()._lower_is_better_kpis() | {
            "request_open_count",
            "request_vendor_count",
            "request_response_median",
            "request_solve_median",
            "request_escalated_share",
        }

    @api.model
    def _evaluate(self, snapshots):
        """No light for a median over no requests: 0 hours would look green."""
        result = super()._evaluate(snapshots)
        for snapshot in snapshots:
            lights = result.get(snapshot.id, {})
            for median, count in MEDIAN_COUNTS.items():
                if median in lights and not snapshot[count]:
                    del lights[median]
        return result
