"""A fake addon's figures, loaded by the contract tests with odoo-test-helper's
FakeModelLoader: a provider the adoption addon knows nothing about."""

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.ledd_adoption.figures import Count, Kpi, Section, declare_figures

_lt = LazyTranslate(__name__)

FAKE_COLUMNS = ["fake_base_count", "fake_hit_count", "fake_miss_count", "fake_wait_hours"]


@declare_figures(
    Section(
        title=_lt("Fake Figures"),
        provider="_fake_figures",
        figures=[
            Count("fake_base_count", "Fake Base"),
            Count("fake_hit_count", "Fake Hits"),
            Kpi(
                "fake_hit_share",
                "Fake Hit Rate (%)",
                unit="%",
                numerator="fake_hit_count",
                denominator="fake_base_count",
                target=50.0,
                amber_band=20.0,
            ),
            Kpi(
                "fake_miss_count",
                "Fake Misses",
                unit="count",
                lower_is_better=True,
                target=3.0,
                amber_band=50.0,
                action="action_view_fake_misses",
            ),
            Kpi("fake_wait_hours", "Fake Wait", unit="hours", denominator="fake_base_count", shown=False),
        ],
    )
)
class LeddAdoptionSnapshotFake(models.Model):
    _inherit = "ledd.adoption.snapshot"

    @api.model
    def _fake_figures(self, date, units):
        """Each unit's own figures of the day (``fake_own_figures`` in the context:
        ``{date: {unit_id: (base, hits, misses, wait)}}``), summed over every subtree
        with the ancestor join like a real provider; the wait is the subtree's
        longest, a figure that does not add up."""
        own = self.env.context.get("fake_own_figures", {}).get(date)
        if not own:
            return {}
        rows = SQL(", ").join(SQL("(%s, %s, %s, %s, %s)", unit_id, *values) for unit_id, values in own.items())
        query = SQL(
            """SELECT ancestor.id, sum(x.base)::int, sum(x.hits)::int, sum(x.misses)::int, max(x.wait)
                 FROM (VALUES %s) AS x(unit_id, base, hits, misses, wait) %s
             GROUP BY ancestor.id""",
            rows,
            self._ancestor_join(SQL("x.unit_id")),
        )
        return self._fetch_figures("fake", query, FAKE_COLUMNS)

    def action_view_fake_misses(self):
        self.ensure_one()
        self.check_access("read")
        return {"type": "ir.actions.act_window", "res_model": "ledd.unit", "domain": [("id", "=", self.unit_id.id)]}
