from datetime import timedelta

from odoo import api, fields, models

from .ledd_adoption_figures_mixin import STATUS_SELECTION
from .ledd_rollout_wave import ROLLOUT_STATES

# Unit field: the field of the latest snapshot it shows.
ADOPTION_FIELDS = {
    "adoption_date": "date",
    "adoption_status": "status",
    "adoption_member_count": "member_count",
    "adoption_user_count": "user_count",
    "adoption_active_30_count": "active_30_count",
}


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    rollout_wave_id = fields.Many2one(
        "ledd.rollout.wave", string="Rollout Wave", index=True, ondelete="set null", tracking=True
    )
    rollout_state = fields.Selection(
        ROLLOUT_STATES,
        string="Rollout Stage",
        default="planned",
        required=True,
        index=True,
        tracking=True,
        group_expand="_read_group_rollout_state",
        help="Planned, training and live follow the wave's dates (nightly); "
        "established is set by hand once the unit works on its own.",
    )
    rollout_date_training_start = fields.Date(related="rollout_wave_id.date_training_start", string="Training Start")
    rollout_date_go_live = fields.Date(related="rollout_wave_id.date_go_live", string="Go-live")
    adoption_snapshot_id = fields.Many2one(
        "ledd.adoption.snapshot",
        string="Latest Figures",
        compute="_compute_adoption_snapshot",
        compute_sudo=False,
        help="The most recent adoption figures of the unit, when you may see them.",
    )
    adoption_latest_ids = fields.Many2many(
        "ledd.adoption.snapshot",
        string="Latest Adoption Figures",
        compute="_compute_adoption_snapshot",
        compute_sudo=False,
        help="The unit's card of the adoption dashboard: every figure with its light.",
    )
    adoption_date = fields.Date(compute="_compute_adoption_snapshot", compute_sudo=False, string="Figures of")
    adoption_status = fields.Selection(
        STATUS_SELECTION, compute="_compute_adoption_snapshot", compute_sudo=False, string="Traffic Light"
    )
    adoption_member_count = fields.Integer(compute="_compute_adoption_snapshot", compute_sudo=False, string="Members")
    adoption_user_count = fields.Integer(
        compute="_compute_adoption_snapshot", compute_sudo=False, string="People with Login"
    )
    adoption_active_30_count = fields.Integer(
        compute="_compute_adoption_snapshot", compute_sudo=False, string="Active 30 Days"
    )
    adoption_active_30_trend = fields.Integer(
        string="Active 30 Days, Change",
        compute="_compute_adoption_snapshot",
        compute_sudo=False,
        help="Change in the people active in the last 30 days since the figures of 30 days before.",
    )

    def _read_group_rollout_state(self, values, domain):
        return [state for state, _label in ROLLOUT_STATES]

    @api.depends_context("uid")
    def _compute_adoption_snapshot(self):
        snapshot_model = self.env["ledd.adoption.snapshot"]
        latest = snapshot_model.search([("unit_id", "in", self.ids), ("is_latest", "=", True)])
        by_unit = {snapshot.unit_id.id: snapshot for snapshot in latest}
        earlier = {}
        if latest:
            # One query: the figures of each unit 30 days before its latest ones.
            for unit, day, active in snapshot_model._read_group(
                [
                    ("unit_id", "in", self.ids),
                    ("date", "in", list({snapshot.date - timedelta(days=30) for snapshot in latest})),
                ],
                ["unit_id", "date:day"],
                ["active_30_count:max"],
            ):
                earlier[unit.id, day] = active
        for unit in self:
            snapshot = by_unit.get(unit.id, snapshot_model)
            unit.adoption_snapshot_id = snapshot
            unit.adoption_latest_ids = snapshot
            for field, source in ADOPTION_FIELDS.items():
                unit[field] = snapshot[source]
            before = earlier.get((unit.id, snapshot.date - timedelta(days=30))) if snapshot else None
            unit.adoption_active_30_trend = snapshot.active_30_count - before if before is not None else 0

    @api.model
    def _cron_advance_rollout(self):
        """Move the units of the waves whose dates have come: planned → training → live."""
        today = fields.Date.context_today(self)
        units = self.sudo().search([("rollout_state", "=", "training"), ("rollout_wave_id.date_go_live", "<=", today)])
        units.write({"rollout_state": "live"})
        to_training = self.sudo().search(
            [("rollout_state", "=", "planned"), ("rollout_wave_id.date_training_start", "<=", today)]
        )
        to_training.write({"rollout_state": "training"})
        return len(units) + len(to_training)

    def action_view_adoption_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_adoption.ledd_adoption_snapshot_action_history")
        action["domain"] = [("unit_id", "=", self.id)]
        return action

    def action_set_established(self):
        self.write({"rollout_state": "established"})
        return True
