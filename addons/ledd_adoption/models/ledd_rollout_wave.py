from odoo import api, fields, models
from odoo.exceptions import ValidationError

ROLLOUT_STATES = [
    ("planned", "Planned"),
    ("training", "Training"),
    ("live", "Live"),
    ("established", "Established"),
]


class LeddRolloutWave(models.Model):
    """A group of units that start using Ledd together."""

    _name = "ledd.rollout.wave"
    _description = "Rollout Wave"
    _inherit = ["mail.thread"]
    _order = "date_go_live, name"

    name = fields.Char(required=True, tracking=True)
    date_training_start = fields.Date(
        string="Training Start",
        tracking=True,
        help="From this day the wave's planned units move to Training (nightly).",
    )
    date_go_live = fields.Date(
        string="Go-live",
        tracking=True,
        help="From this day the wave's units in training move to Live (nightly).",
    )
    unit_ids = fields.One2many("ledd.unit", "rollout_wave_id", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_counts")
    planned_count = fields.Integer(compute="_compute_unit_counts", string="Planned")
    training_count = fields.Integer(compute="_compute_unit_counts", string="In Training")
    live_count = fields.Integer(compute="_compute_unit_counts", string="Live")
    established_count = fields.Integer(compute="_compute_unit_counts", string="Established")
    state = fields.Selection(
        ROLLOUT_STATES,
        compute="_compute_state",
        store=True,
        string="Stage",
        help="The stage of the wave's least advanced unit.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        help="How far the units' figures have come towards their targets: the average, "
        "over the units and each figure with a target, of the figure as a share of its "
        "target (at most 100 %).",
    )
    green_unit_count = fields.Integer(
        compute="_compute_progress",
        string="Units on Target",
        help="Units whose every figure with a target is green.",
    )
    color = fields.Integer()
    note = fields.Html()
    active = fields.Boolean(default=True)

    @api.depends("unit_ids.rollout_state")
    def _compute_unit_counts(self):
        counts = {
            (wave, state): count
            for wave, state, count in self.env["ledd.unit"]._read_group(
                [("rollout_wave_id", "in", self.ids)], ["rollout_wave_id", "rollout_state"], ["__count"]
            )
        }
        for wave in self:
            for state, _label in ROLLOUT_STATES:
                wave[f"{state}_count"] = counts.get((wave, state), 0)
            wave.unit_count = sum(counts.get((wave, state), 0) for state, _label in ROLLOUT_STATES)

    @api.depends("unit_ids.rollout_state")
    def _compute_state(self):
        order = [state for state, _label in ROLLOUT_STATES]
        for wave in self:
            states = wave.unit_ids.mapped("rollout_state")
            wave.state = min(states, key=order.index) if states else "planned"

    @api.depends_context("uid")
    def _compute_progress(self):
        """From the latest figures of the wave's units whose figures the user may
        see (like the snapshots' record rules): a region user's progress covers
        the units of the region only."""
        target_model = self.env["ledd.adoption.target"]
        lower = target_model._lower_is_better_kpis()
        user = self.env.user
        units = self.unit_ids
        if not (self.env.su or user.has_group("ledd_base.group_business_owner")):
            units &= user.ledd_scope_subtree_unit_ids
        snapshots = self.env["ledd.adoption.snapshot"].search([("unit_id", "in", units.ids), ("is_latest", "=", True)])
        by_unit = {snapshot.unit_id.id: snapshot for snapshot in snapshots}
        targets = target_model._get_targets(units)
        lights = target_model._evaluate(snapshots)
        for wave in self:
            attainments, green = [], 0
            for unit in wave.unit_ids & units:
                snapshot = by_unit.get(unit.id)
                unit_lights = lights.get(snapshot.id, {}) if snapshot else {}
                if unit_lights and all(light == "green" for light in unit_lights.values()):
                    green += 1
                for kpi, target in targets.get(unit.id, {}).items():
                    if snapshot and kpi in unit_lights:
                        attainments.append(self._attainment(snapshot[kpi], target.target, kpi in lower))
                    else:
                        attainments.append(0.0)  # no figures yet: nothing reached
            wave.progress = 100.0 * sum(attainments) / len(attainments) if attainments else 0.0
            wave.green_unit_count = green

    @api.model
    def _attainment(self, value, target, lower_is_better=False):
        """How far ``value`` has come towards ``target``, from 0.0 to 1.0."""
        if lower_is_better:
            return 1.0 if value <= target else (target / value if value else 1.0)
        if target <= 0 or value >= target:
            return 1.0
        return max(value, 0.0) / target

    @api.constrains("date_training_start", "date_go_live")
    def _check_dates(self):
        for wave in self:
            if wave.date_training_start and wave.date_go_live and wave.date_go_live < wave.date_training_start:
                raise ValidationError(self.env._("A wave cannot go live before its training starts."))

    def action_view_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_adoption.ledd_unit_action_wave_board")
        action["domain"] = [("rollout_wave_id", "=", self.id)]
        action["context"] = {"default_rollout_wave_id": self.id}
        return action
