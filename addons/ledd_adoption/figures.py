"""The adoption figures, each declared once.

A figure of the daily snapshot (``ledd.adoption.snapshot``) is declared in the addon
that computes it, on that addon's snapshot class, beside the method that computes
it (its provider)::

    _lt = LazyTranslate(__name__)


    @declare_figures(
        Section(
            title=_lt("Volunteering"),
            provider="_volunteer_figures",
            figures=[
                Count("volunteer_count", "Volunteers", action="action_view_volunteers"),
                Kpi("volunteer_share", "Volunteers (%)", unit="%", numerator="volunteer_count",
                    denominator="member_count", target=20.0),
            ],
        )
    )
    class LeddAdoptionSnapshot(models.Model):
        _inherit = "ledd.adoption.snapshot"

        @api.model
        def _volunteer_figures(self, date, units):
            # {unit id: {"volunteer_count": n}} of every unit's whole subtree,
            # computed for all units at once (see _fetch_figures, _ancestor_join)
            return self._fetch_figures("volunteers", self._volunteer_query(date), ["volunteer_count"])

The rest picks the declarations up: the nightly build calls each provider once for
all units and computes the shares; targets offer every KPI (with its default target
and amber band, and whether lower is better); lights, the dashboard cards, the form,
the list (and so the export), roll-ups in pivots and graphs, and the monthly digest
show every figure without a line of their own.

Storage: one stored column per figure on the snapshot row (one row per unit and
day), not a table of values. Pivots, graphs, group totals and exports read measures
as columns of one model: a column per figure makes every figure a measure and an
export column as it is. A value table would hold a row per unit, day and figure
(at the national scale about 400 units x 45 figures x 365 days, 6.5 million rows a
year instead of 146,000), show one figure at a time in a pivot (grouped by figure),
export one line per figure, and multiply the rows the nightly build writes, whose
time the benchmark bounds. A new figure adds a column when its addon is installed;
older rows read it as empty.

Each row holds its unit's whole subtree, so rows of nested units must never be
added up: a roll-up (a pivot cell, a group total) combines the rows of one level
only, on one day, and a rolled-up share is the ratio of the rolled-up counts, never
an average of shares (see ``ledd.adoption.figures.mixin._read_group_select``).
"""

import dataclasses

from odoo import fields

UNITS = ("%", "count", "hours")
# The field attribute that marks a figure's column and holds its declaration.
FIGURE_ATTRIBUTE = "ledd_figure"


@dataclasses.dataclass(frozen=True, eq=False)
class Count:
    """A count of the unit's whole subtree, stored as an integer; it gets no target.

    ``action``: the snapshot's method that lists the records behind the count as they
    are now (an arrow next to the figure). ``shown``: on the dashboard cards and a
    visible column of the list. ``provider`` and ``section`` come from its
    :class:`Section`."""

    code: str
    label: str
    help: str = ""
    action: str = ""
    shown: bool = False
    provider: str = ""
    section: object = ""

    unit = "count"
    numerator = ""
    denominator = ""

    def _value_field(self):
        return fields.Integer(**self._field_attributes())

    def _field_attributes(self):
        attributes = {"string": self.label, "readonly": True, "aggregator": "sum", FIGURE_ATTRIBUTE: self}
        if self.help:
            attributes["help"] = self.help
        return attributes

    def _fields(self):
        """{field name: field} of the columns the declaration adds to the snapshot."""
        return {self.code: self._value_field()}


@dataclasses.dataclass(frozen=True, eq=False)
class Kpi(Count):
    """A figure that can get a target, and so a traffic light.

    ``unit``:

    - ``"%"``: ``100 * numerator / denominator`` (two counts, by code), computed by the
      build; 0 and no light when the denominator is 0; rolled up as the ratio of the
      rolled-up counts.
    - ``"count"``: an integer from the provider; rolled up as a sum over one level.
    - ``"hours"``: a value from the provider (e.g. a median over the subtree), with
      one decimal; ``denominator`` is the count it is taken over (no light when 0).
      It does not roll up: a group shows it only when it holds a single unit's row.

    ``target`` and ``amber_band`` are what a new target for the KPI starts with;
    ``lower_is_better`` turns the light around."""

    unit: str = "count"
    numerator: str = ""
    denominator: str = ""
    lower_is_better: bool = False
    target: float = 0.0
    amber_band: float = 10.0
    shown: bool = True

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.code}: unit {self.unit!r} is not one of {UNITS}")
        if (self.unit == "%") != bool(self.numerator and self.denominator):
            raise ValueError(f"KPI {self.code}: a share, and only a share, has a numerator and a denominator")
        if self.unit == "count" and self.denominator:
            raise ValueError(f"KPI {self.code}: a count has no denominator")

    @property
    def status_field(self):
        return f"{self.code}_status"

    def _value_field(self):
        if self.unit == "count":
            return super()._value_field()
        if self.unit == "hours":
            return fields.Float(digits=(16, 1), **self._field_attributes())
        return fields.Float(**self._field_attributes())

    def _fields(self):
        return {
            **super()._fields(),
            self.status_field: fields.Selection(
                selection="_selection_light",
                string=f"{self.label}: Light",
                compute="_compute_status",
            ),
        }


@dataclasses.dataclass(frozen=True, eq=False)
class Section:
    """Figures computed by one provider, shown together under ``title`` (a lazy
    translation, ``LazyTranslate(__name__)(...)``).

    ``provider`` names the snapshot's method ``provider(date, units)`` that returns
    ``{unit id: {code: value}}`` with the whole subtree's figures of every unit,
    computed for all units in set-based queries (missing units and codes count as
    0). Several sections may share a provider: it runs once."""

    title: object
    provider: str
    figures: list


def declare_figures(*sections):
    """Class decorator: add the figures of ``sections`` to the decorated
    ``ledd.adoption.snapshot`` class, in their order.

    The fields are added the way Odoo adds a model's magic fields, so they belong to
    the decorated class's addon: their labels are translated with it, and they go
    when it is uninstalled."""

    def decorate(cls):
        for section in sections:
            for figure in section.figures:
                declared = dataclasses.replace(figure, provider=section.provider, section=section.title)
                for name, field in declared._fields().items():
                    setattr(cls, name, field)
                    field.__set_name__(cls, name)
        return cls

    return decorate
