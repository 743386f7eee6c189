from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LeddAdoptionTarget(models.Model):
    """A target (måltall) for one KPI, for every unit of a level or for one unit.

    A unit's own target wins over its level's target. The KPIs, whether lower is
    better, and the target and amber band a new target starts with come from the
    KPIs' declarations on the snapshot."""

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
    target = fields.Float(
        required=True,
        digits=(16, 1),
        compute="_compute_target",
        store=True,
        readonly=False,
        precompute=True,
    )
    amber_band = fields.Float(
        string="Amber Band (%)",
        digits=(16, 1),
        compute="_compute_amber_band",
        store=True,
        readonly=False,
        precompute=True,
        help="A figure that misses the target by at most this share of the target "
        "is amber, not red. With a target of 80 and a band of 10 %, 72 to 80 is amber.",
    )
    lower_is_better = fields.Boolean(compute="_compute_lower_is_better")
    note = fields.Text()
    active = fields.Boolean(default=True)

    @api.model
    def _selection_kpi(self):
        """The declared KPIs of the snapshot, with their labels."""
        snapshots = self.env["ledd.adoption.snapshot"]
        return [(kpi.code, snapshots._fields[kpi.code]._description_string(self.env)) for kpi in snapshots._kpis()]

    @api.model
    def _declared_kpis(self):
        return {kpi.code: kpi for kpi in self.env["ledd.adoption.snapshot"]._kpis()}

    @api.model
    def _lower_is_better_kpis(self):
        """The KPIs where less is better (e.g. overdue training, response times)."""
        return {code for code, kpi in self._declared_kpis().items() if kpi.lower_is_better}

    @api.depends("kpi")
    def _compute_target(self):
        """A new target starts with the KPI's declared target..."""
        kpis = self._declared_kpis()
        for target in self:
            target.target = kpis[target.kpi].target if target.kpi in kpis else 0.0

    @api.depends("kpi")
    def _compute_amber_band(self):
        """... and amber band."""
        kpis = self._declared_kpis()
        for target in self:
            target.amber_band = kpis[target.kpi].amber_band if target.kpi in kpis else 10.0

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
        """``{snapshot id: {kpi: light}}`` for the KPIs of ``snapshots`` that have a
        target; none for a KPI over nothing (its denominator is 0: a share of no
        members, a median of no requests)."""
        targets = self._get_targets(snapshots.sudo().unit_id)
        kpis = self._declared_kpis()
        result = {}
        for snapshot in snapshots:
            lights = result.setdefault(snapshot.id, {})
            for code, target in targets.get(snapshot.unit_id.id, {}).items():
                kpi = kpis.get(code)
                if kpi is None or (kpi.denominator and not snapshot[kpi.denominator]):
                    continue
                lights[code] = self._light(snapshot[code], target.target, target.amber_band, kpi.lower_is_better)
        return result
