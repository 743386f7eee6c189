from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LeddAdoptionTarget(models.Model):
    """A target (måltall) for one figure, for every unit of a level or for one unit.

    A unit's own target wins over its level's target."""

    _name = "ledd.adoption.target"
    _description = "Adoption Target"
    _order = "kpi, unit_id, unit_type_id"

    kpi = fields.Selection(selection="_selection_kpi", string="Figure", required=True)
    unit_type_id = fields.Many2one(
        "ledd.unit.type",
        string="Level",
        ondelete="cascade",
        help="The target holds for every unit of this level that has no target of its own.",
    )
    unit_id = fields.Many2one(
        "ledd.unit", string="Unit", ondelete="cascade", help="A target for this unit only, instead of its level's."
    )
    target = fields.Float(required=True, digits=(16, 1))
    amber_band = fields.Float(
        string="Amber Band (%)",
        default=10.0,
        digits=(16, 1),
        help="A figure that misses the target by at most this share of the target "
        "is amber, not red. With a target of 80 and a band of 10 %, 72 to 80 is amber.",
    )
    lower_is_better = fields.Boolean(compute="_compute_lower_is_better")
    note = fields.Text()
    active = fields.Boolean(default=True)

    @api.model
    def _selection_kpi(self):
        """The figures that can get a target. Bridge addons append theirs."""
        return [
            ("login_share", self.env._("Members with Login (%)")),
            ("active_30_share", self.env._("Active 30 Days (%)")),
            ("email_share", self.env._("Valid Email (%)")),
            ("phone_share", self.env._("Phone (%)")),
            ("address_share", self.env._("Address (%)")),
            ("coverage_share", self.env._("Superuser Coverage (%)")),
            ("active_30_count", self.env._("Active 30 Days")),
        ]

    @api.model
    def _lower_is_better_kpis(self):
        """Figures where less is better (e.g. overdue training, response times)."""
        return set()

    @api.depends("kpi")
    def _compute_lower_is_better(self):
        lower = self._lower_is_better_kpis()
        for target in self:
            target.lower_is_better = target.kpi in lower

    @api.depends("kpi", "unit_id", "unit_type_id", "target")
    def _compute_display_name(self):
        kpi_names = dict(self._fields["kpi"]._description_selection(self.env))
        for target in self:
            target.display_name = self.env._(
                "%(kpi)s for %(scope)s: %(target)s",
                kpi=kpi_names.get(target.kpi, ""),
                scope=(target.unit_id or target.unit_type_id).display_name or "",
                target=target.target,
            )

    @api.constrains("kpi", "unit_id", "unit_type_id", "active", "amber_band")
    def _check_scope(self):
        for target in self:
            if bool(target.unit_id) == bool(target.unit_type_id):
                raise ValidationError(self.env._("A target is set either for a level or for one unit."))
            if not 0 <= target.amber_band <= 100:
                raise ValidationError(self.env._("The amber band is a share between 0 and 100 %."))
            if target.active and self.search_count(
                [
                    ("id", "!=", target.id),
                    ("kpi", "=", target.kpi),
                    ("unit_id", "=", target.unit_id.id),
                    ("unit_type_id", "=", target.unit_type_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(self.env._("This figure already has a target there."))

    @api.model
    def _light(self, value, target, amber_band, lower_is_better=False):
        """green / amber / red of ``value`` against ``target``."""
        margin = abs(target) * amber_band / 100.0
        if lower_is_better:
            if value <= target:
                return "green"
            return "amber" if value <= target + margin else "red"
        if value >= target:
            return "green"
        return "amber" if value >= target - margin else "red"

    @api.model
    def _get_targets(self, units):
        """``{unit_id: {kpi: target record}}``: each unit's own target, else its level's."""
        targets = self.sudo().search(
            ["|", ("unit_id", "in", units.ids), ("unit_type_id", "in", units.sudo().type_id.ids)]
        )
        by_type, by_unit = {}, {}
        for target in targets:
            if target.unit_id:
                by_unit.setdefault(target.unit_id.id, {})[target.kpi] = target
            else:
                by_type.setdefault(target.unit_type_id.id, {})[target.kpi] = target
        result = {}
        for unit in units.sudo():
            result[unit.id] = {**by_type.get(unit.type_id.id, {}), **by_unit.get(unit.id, {})}
        return result

    @api.model
    def _evaluate(self, snapshots):
        """``{snapshot id: {kpi: light}}`` for the figures of ``snapshots`` that have a target."""
        targets = self._get_targets(snapshots.sudo().unit_id)
        lower = self._lower_is_better_kpis()
        denominators = {share: denominator for share, _numerator, denominator in snapshots._share_definitions()}
        result = {}
        for snapshot in snapshots:
            lights = result.setdefault(snapshot.id, {})
            for kpi, target in targets.get(snapshot.unit_id.id, {}).items():
                if kpi not in snapshot._fields or (kpi in denominators and not snapshot[denominators[kpi]]):
                    continue  # no such figure here, or a share of nothing
                lights[kpi] = self._light(snapshot[kpi], target.target, target.amber_band, kpi in lower)
        return result
