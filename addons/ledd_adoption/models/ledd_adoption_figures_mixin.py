import logging
import time

from lxml.builder import E

from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..figures import FIGURE_ATTRIBUTE, Kpi

_logger = logging.getLogger(__name__)

STATUS_SELECTION = [("none", "No Target"), ("red", "Red"), ("amber", "Amber"), ("green", "Green")]
STATUS_RANK = {"red": 0, "amber": 1, "green": 2}
BADGE_DECORATIONS = {"success": "green", "warning": "amber", "danger": "red"}
WRITE_BATCH = 1000


class LeddAdoptionFiguresMixin(models.AbstractModel):
    """Rows of declared figures, one per unit and day: the engine behind the
    adoption snapshot.

    The figures are fields added with ``declare_figures`` (see
    ``odoo.addons.ledd_adoption.figures``) by the addons that compute them. From
    their declarations this builds the rows (each provider once for all units),
    gives the KPIs their lights against the targets, rolls figures up in pivots,
    graphs and group totals, and shows them in the views."""

    _name = "ledd.adoption.figures.mixin"
    _description = "Adoption Figures per Unit and Day"

    date = fields.Date(required=True, index=True, readonly=True)
    unit_id = fields.Many2one("ledd.unit", string="Unit", required=True, index=True, ondelete="cascade", readonly=True)
    unit_depth = fields.Integer(
        string="Depth",
        readonly=True,
        aggregator=None,
        help="How deep the unit lay in the tree on the day (1 for the top). Rows of one depth never "
        "overlap: roll-ups combine them only.",
    )
    is_latest = fields.Boolean(string="Latest", index=True, readonly=True, help="The unit's most recent figures.")
    status = fields.Selection(
        STATUS_SELECTION,
        string="Traffic Light",
        compute="_compute_status",
        help="The worst light of the figures that have a target.",
    )

    def _valid_field_parameter(self, field, name):
        return name == FIGURE_ATTRIBUTE or super()._valid_field_parameter(field, name)

    @api.model
    def _figures(self):
        """The declarations (``Count``, ``Kpi``) of the figures, in the order of the fields."""
        return [
            figure for field in self._fields.values() if (figure := getattr(field, FIGURE_ATTRIBUTE, None)) is not None
        ]

    @api.model
    def _kpis(self):
        """The declared figures that can get a target."""
        return [figure for figure in self._figures() if isinstance(figure, Kpi)]

    @api.model
    def _selection_light(self):
        """The traffic lights, for the light of each KPI."""
        return self._fields["status"]._description_selection(self.env)

    def _compute_status(self):
        """The light of every KPI (``<kpi>_status``), and the worst of them."""
        lights = self.env["ledd.adoption.target"]._evaluate(self)
        kpis = self._kpis()
        for snapshot in self:
            snapshot_lights = lights.get(snapshot.id, {})
            for kpi in kpis:
                snapshot[kpi.status_field] = snapshot_lights.get(kpi.code, "none")
            ranked = [light for light in snapshot_lights.values() if light in STATUS_RANK]
            snapshot.status = min(ranked, key=STATUS_RANK.get) if ranked else "none"

    # ------------------------------------------------------------------
    # Roll-ups: pivots, graphs and group totals
    # ------------------------------------------------------------------
    def _read_group_select(self, aggregate_spec, query):
        """A figure's sum over a group is its roll-up, not a sum of the rows.

        Each row holds its unit's whole subtree, so adding up rows of nested units
        (or of several days) counts people twice. A group's figure combines only
        its rows of one level on one day: those of its latest day, and of those
        the rows of the units highest in the tree (they never overlap). Counts are
        summed over these rows, a share is the ratio of the summed counts (never
        an average of shares), and a median or other value that does not add up
        shows only when a single row is left."""
        if aggregate_spec != "__count":
            fname, _property, func = parse_read_group_spec(aggregate_spec)
            figure = getattr(self._fields.get(fname), FIGURE_ATTRIBUTE, None)
            if figure is not None and func == "sum":
                return self._rollup_sql(figure, query)
        return super()._read_group_select(aggregate_spec, query)

    def _rollup_sql(self, figure, query):
        rank = SQL(
            "((%s - DATE '2000-01-01') * 1000 - %s)",
            self._field_to_sql(self._table, "date", query),
            self._field_to_sql(self._table, "unit_depth", query),
        )

        def top_rows(code, combine):
            # The rows of the group's latest day and highest level, from the
            # group's rows aggregated into arrays (the outer query's aggregates).
            return SQL(
                "(SELECT %s FROM unnest(array_agg(%s), array_agg(%s)) AS top(value, rank) WHERE top.rank = max(%s))",
                combine,
                self._field_to_sql(self._table, code, query),
                rank,
                rank,
            )

        if figure.unit == "count":
            return SQL("coalesce(%s, 0)", top_rows(figure.code, SQL("sum(top.value)")))
        if figure.unit == "%":
            return SQL(
                "coalesce(100.0 * %s / NULLIF(%s, 0), 0)::float8",
                top_rows(figure.numerator, SQL("sum(top.value)")),
                top_rows(figure.denominator, SQL("sum(top.value)")),
            )
        return SQL("%s::float8", top_rows(figure.code, SQL("CASE WHEN count(*) = 1 THEN min(top.value) END")))

    # ------------------------------------------------------------------
    # Views: every declared figure where the arch has a place for them
    # ------------------------------------------------------------------
    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The declared figures in the views: a column each in a list, before its
        ``status`` field (and so in its export; a figure the list names itself
        stays where it is), a row each of the shown ones in a dashboard card's
        ``<div name="figures">``, a group per section in a form's
        ``<group name="figures">``, with the lights and the drill-down arrows."""
        arch, view = super()._get_view(view_id, view_type, **options)
        figures = self._figures()
        if view_type == "list" and (anchor := arch.find(".//field[@name='status']")) is not None:
            for figure in figures:
                if arch.find(f".//field[@name='{figure.code}']") is None:
                    anchor.addprevious(E.field(name=figure.code, optional="show" if figure.shown else "hide"))
        elif view_type == "kanban" and (anchor := arch.find(".//div[@name='figures']")) is not None:
            anchor.extend(self._figure_card_row(figure) for figure in figures if figure.shown)
        elif view_type == "form" and (anchor := arch.find(".//group[@name='figures']")) is not None:
            sections = {}  # by the identity of their title (a lazy translation)
            for figure in figures:
                sections.setdefault(id(figure.section), (figure.section, []))[1].append(figure)
            for index, (title, section_figures) in enumerate(sections.values(), start=1):
                group = E.group(string=self.env._(title), name=f"figures_{index}")
                for figure in section_figures:
                    group.extend(self._figure_form_nodes(figure))
                anchor.append(group)
        return arch, view

    def _figure_label(self, figure):
        return self._fields[figure.code]._description_string(self.env)

    def _figure_light_node(self, figure):
        status = figure.status_field
        decorations = {f"decoration-{name}": f"{status} == '{light}'" for name, light in BADGE_DECORATIONS.items()}
        return E.field(name=status, widget="badge", invisible=f"{status} == 'none'", **decorations)

    def _figure_card_row(self, figure):
        value = E.span(E.field(name=figure.code), " ", **{"class": "text-nowrap"})
        if isinstance(figure, Kpi):
            value.append(self._figure_light_node(figure))
        row = E.div(E.span(self._figure_label(figure)), value, **{"class": "d-flex justify-content-between gap-2"})
        if figure.denominator:
            row.set("invisible", f"not {figure.denominator}")
        return row

    def _figure_form_nodes(self, figure):
        if not (figure.action or isinstance(figure, Kpi)):
            return [E.field(name=figure.code)]
        row = E.div(E.field(name=figure.code), **{"class": "o_row"})
        if isinstance(figure, Kpi):
            row.append(self._figure_light_node(figure))
        if figure.action:
            title = self.env._("The records behind the figure, as they are now")
            row.append(
                E.button(name=figure.action, type="object", icon="fa-arrow-right", title=title, **{"class": "btn-link"})
            )
        return [E.label(**{"for": figure.code}), row]

    def _figure_action(self, name, res_model, domain):
        """A drill-down: the records of ``res_model`` behind a figure of this row, as
        they are now, for those who may read the row."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    @api.model
    def _build_snapshots(self, date=None, units=None):
        """(Re)build the figures of ``units`` (default: every active unit) for ``date``
        (default: today) in one pass of set-based queries.

        Idempotent: the day's rows of these units are replaced. Returns the
        timings: ``{"units": n, "figures": s, "write": s, "queries": [(label, s)]}``.
        """
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        self.env.flush_all()  # the queries below read the tables directly
        sudo_self = self.sudo()
        if units is None:
            units = sudo_self.env["ledd.unit"].search([])
        units = units.sudo()
        timings = {"units": len(units), "queries": []}
        sudo_self = sudo_self.with_context(ledd_snapshot_timings=timings["queries"])
        start = time.perf_counter()
        figures = sudo_self._compute_snapshot_figures(date, units)
        timings["figures"] = time.perf_counter() - start
        start = time.perf_counter()
        sudo_self._write_snapshots(date, units, figures)
        timings["write"] = time.perf_counter() - start
        _logger.info(
            "Adoption snapshot of %s for %d units: figures %.3f s, write %.3f s (%s)",
            date,
            len(units),
            timings["figures"],
            timings["write"],
            ", ".join(f"{label} {seconds:.3f} s" for label, seconds in timings["queries"]),
        )
        return timings

    def _write_snapshots(self, date, units, figures):
        table = SQL.identifier(self._table)
        self.env.cr.execute(SQL("DELETE FROM %s WHERE date = %s AND unit_id = ANY(%s)", table, date, units.ids))
        self.env.invalidate_all()
        depths = {unit.id: unit.parent_path.count("/") for unit in units}
        vals_list = [
            {"date": date, "unit_id": unit_id, "unit_depth": depths[unit_id], **values}
            for unit_id, values in figures.items()
        ]
        for start in range(0, len(vals_list), WRITE_BATCH):
            self.create(vals_list[start : start + WRITE_BATCH])
        self.flush_model()
        # The latest row of each unit: the one with the greatest date.
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s s
                   SET is_latest = (s.date = latest.date)
                  FROM (SELECT unit_id, max(date) AS date
                          FROM %(table)s
                         WHERE unit_id = ANY(%(unit_ids)s)
                      GROUP BY unit_id) latest
                 WHERE s.unit_id = latest.unit_id
                   AND (s.is_latest OR s.date = latest.date)
                   AND s.is_latest IS DISTINCT FROM (s.date = latest.date)
                """,
                table=table,
                unit_ids=units.ids,
            )
        )
        self.invalidate_model(["is_latest"])

    def _execute_timed(self, label, query):
        """Run ``query`` and return its rows; its time goes into the build's timings."""
        start = time.perf_counter()
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        timings = self.env.context.get("ledd_snapshot_timings")
        if timings is not None:
            timings.append((label, time.perf_counter() - start))
        return rows

    @api.model
    def _compute_snapshot_figures(self, date, units):
        """Every declared figure of each unit's subtree on ``date``:
        ``{unit_id: {field: value}}``.

        Calls each provider once for all units, then computes the shares from
        their counts."""
        figures = self._figures()
        shares = [figure for figure in figures if figure.unit == "%"]
        provided = [figure.code for figure in figures if figure.unit != "%"]
        result = {unit_id: dict.fromkeys(provided, 0) for unit_id in units.ids}
        for provider in dict.fromkeys(figure.provider for figure in figures):
            for unit_id, values in getattr(self, provider)(date, units).items():
                if (row := result.get(unit_id)) is not None:
                    row.update(values)
        for row in result.values():
            for share in shares:
                total = row[share.denominator]
                row[share.code] = 100.0 * row[share.numerator] / total if total else 0.0
        return result

    @api.model
    def _fetch_figures(self, label, query, codes):
        """A provider's figures from SQL ``query``, whose rows hold a unit id and then
        the value of each of ``codes``: ``{unit_id: {code: value}}``. A figure of
        nothing (a median over no rows) is 0. Its time goes into the build's timings
        under ``label``."""
        return {
            row[0]: {code: value or 0 for code, value in zip(codes, row[1:], strict=True)}
            for row in self._execute_timed(label, query)
        }

    @api.model
    def _ancestor_join(self, unit_column):
        """SQL joining each row to every unit from its own unit (``unit_column``,
        an SQL expression) up to the top, as ``ancestor.id``.

        ``GROUP BY ancestor.id`` then gives a figure per subtree. Bridges compute
        figures that do not add up this way too, e.g. a median over all the
        subtree's rows: ``percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)``."""
        return SQL(
            """JOIN ledd_unit ancestor_unit ON ancestor_unit.id = %s
               CROSS JOIN LATERAL unnest(string_to_array(rtrim(ancestor_unit.parent_path, '/'), '/')::int[])
                    AS ancestor(id)""",
            unit_column,
        )
