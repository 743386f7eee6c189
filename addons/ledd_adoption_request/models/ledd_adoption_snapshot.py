from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.ledd_adoption.figures import Count, Kpi, Section, declare_figures

_lt = LazyTranslate(__name__)

# The states of a request nobody has solved or closed yet.
OPEN_STATES = ("new", "escalated", "in_progress", "waiting")
# The request counts query's columns, in order (counts that add up: summed from
# each unit to its ancestors).
REQUEST_COUNTS = [
    "request_open_count",
    "request_vendor_count",
    "request_created_30_count",
    "request_created_90_count",
    "request_escalated_90_count",
]
# The medians query's columns, in order: figures taken over each whole subtree.
REQUEST_MEDIANS = [
    "request_answered_90_count",
    "request_response_median",
    "request_solved_90_count",
    "request_solve_median",
]


@declare_figures(
    Section(
        title=_lt("Support Requests"),
        provider="_request_figures",
        figures=[
            Kpi(
                "request_open_count",
                "Open Requests",
                unit="count",
                lower_is_better=True,
                help="Requests about people of the subtree that are new, escalated, in progress or waiting.",
                action="action_view_open_requests",
            ),
            Kpi(
                "request_vendor_count",
                "Requests with the Vendor",
                unit="count",
                lower_is_better=True,
                shown=False,
                help="Open requests about people of the subtree that the vendor's support handles.",
                action="action_view_vendor_requests",
            ),
            Count(
                "request_created_30_count",
                "Requests 30 Days",
                help="Requests about people of the subtree made in the last 30 days.",
                action="action_view_recent_requests",
            ),
            Count(
                "request_created_90_count",
                "Requests 90 Days",
                help="Requests about people of the subtree made in the last 90 days.",
            ),
            Count(
                "request_escalated_90_count",
                "Escalated Requests 90 Days",
                help="Of the requests made in the last 90 days, those escalated at least once.",
                action="action_view_escalated_requests",
            ),
            Kpi(
                "request_escalated_share",
                "Escalated Requests (%)",
                unit="%",
                numerator="request_escalated_90_count",
                denominator="request_created_90_count",
                lower_is_better=True,
                target=20.0,
                shown=False,
                help="Share of the requests made in the last 90 days that were escalated at least once.",
            ),
        ],
    ),
    Section(
        title=_lt("Response Times (90 Days)"),
        provider="_request_figures",
        figures=[
            Count(
                "request_answered_90_count",
                "Requests Answered 90 Days",
                help="Requests about people of the subtree first answered in the last 90 days.",
                action="action_view_answered_requests",
            ),
            Kpi(
                "request_response_median",
                "Median Hours to First Response",
                unit="hours",
                denominator="request_answered_90_count",
                lower_is_better=True,
                target=24.0,
                help="Median of the hours to the first response of the requests answered in the last 90 days, "
                "over the whole subtree.",
            ),
            Count(
                "request_solved_90_count",
                "Requests Solved 90 Days",
                help="Requests about people of the subtree solved in the last 90 days.",
                action="action_view_solved_requests",
            ),
            Kpi(
                "request_solve_median",
                "Median Hours to Solve",
                unit="hours",
                denominator="request_solved_90_count",
                lower_is_better=True,
                target=72.0,
                shown=False,
                help="Median of the hours to solve of the requests solved in the last 90 days, over the whole subtree.",
            ),
        ],
    ),
)
class LeddAdoptionSnapshot(models.Model):
    _inherit = "ledd.adoption.snapshot"

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    @api.model
    def _request_windows(self, date):
        """The bounds of the request windows ending with ``date`` (UTC days, as the
        requests' timestamps): ``{"end": ..., "since_30": ..., "since_90": ...}``."""
        end = datetime.combine(date + timedelta(days=1), time.min)
        return {"end": end, "since_30": end - timedelta(days=30), "since_90": end - timedelta(days=90)}

    @api.model
    def _request_figures(self, date, units):
        windows = self._request_windows(date)
        figures = self._fetch_figures("request counts", self._request_counts_query(windows), REQUEST_COUNTS)
        medians = self._fetch_figures("request medians", self._request_medians_query(windows), REQUEST_MEDIANS)
        for unit_id, values in medians.items():
            figures.setdefault(unit_id, {}).update(values)
        return figures

    @api.model
    def _requests_table(self):
        return SQL.identifier(self.env["ledd.request"]._table)

    @api.model
    def _request_counts_query(self, windows):
        """Per unit and subtree: open requests, those with the vendor, new ones in the
        last 30 and 90 days and the escalated among the latter.

        Counts per person's unit first, then sums the per-unit rows to every
        ancestor, like the people figures."""
        return SQL(
            """
            WITH per_unit AS (
                SELECT r.unit_id,
                       count(*) FILTER (WHERE %(is_open)s) AS open_count,
                       count(*) FILTER (WHERE %(is_open)s AND r.handled_by_vendor) AS vendor_count,
                       count(*) FILTER (WHERE r.create_date >= %(since_30)s) AS created_30_count,
                       count(*) FILTER (WHERE r.create_date >= %(since_90)s) AS created_90_count,
                       count(*) FILTER (WHERE r.create_date >= %(since_90)s AND r.escalation_count > 0)
                           AS escalated_90_count
                  FROM %(requests)s r
                 WHERE r.unit_id IS NOT NULL
                   AND r.create_date < %(end)s
                   AND (%(is_open)s OR r.create_date >= %(since_90)s)
              GROUP BY r.unit_id
            )
            SELECT ancestor.id,
                   sum(pu.open_count)::int, sum(pu.vendor_count)::int, sum(pu.created_30_count)::int,
                   sum(pu.created_90_count)::int, sum(pu.escalated_90_count)::int
              FROM per_unit pu
                   %(to_ancestors)s
          GROUP BY ancestor.id
            """,
            requests=self._requests_table(),
            is_open=SQL("r.state IN %s", OPEN_STATES),
            to_ancestors=self._ancestor_join(SQL("pu.unit_id")),
            **windows,
        )

    @api.model
    def _request_medians_query(self, windows):
        """Per subtree: the requests first answered and solved in the last 90 days,
        and the medians of their hours to response and to solve.

        Medians do not add up: each is taken over all the subtree's requests
        (every request joined to each of its unit's ancestors), never from the
        children's medians."""
        answered = SQL(
            "r.date_first_response >= %(since_90)s AND r.date_first_response < %(end)s",
            since_90=windows["since_90"],
            end=windows["end"],
        )
        solved = SQL(
            "r.date_solved >= %(since_90)s AND r.date_solved < %(end)s",
            since_90=windows["since_90"],
            end=windows["end"],
        )
        return SQL(
            """
            SELECT ancestor.id,
                   count(*) FILTER (WHERE %(answered)s),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.response_hours) FILTER (WHERE %(answered)s),
                   count(*) FILTER (WHERE %(solved)s),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.solve_hours) FILTER (WHERE %(solved)s)
              FROM %(requests)s r
                   %(to_ancestors)s
             WHERE r.unit_id IS NOT NULL AND ((%(answered)s) OR (%(solved)s))
          GROUP BY ancestor.id
            """,
            requests=self._requests_table(),
            answered=answered,
            solved=solved,
            to_ancestors=self._ancestor_join(SQL("r.unit_id")),
        )

    # ------------------------------------------------------------------
    # Drill-down: the requests behind a figure (as they are now)
    # ------------------------------------------------------------------
    def _requests_action(self, name, domain):
        return self._figure_action(name, "ledd.request", [("unit_id", "child_of", self.unit_id.id), *domain])

    def _today_windows(self):
        """Today's windows as strings, for the domains of the actions."""
        windows = self._request_windows(fields.Date.context_today(self))
        return {key: fields.Datetime.to_string(value) for key, value in windows.items()}

    def action_view_open_requests(self):
        self.ensure_one()
        return self._requests_action(
            self.env._("Open requests in %(unit)s", unit=self.unit_id.name), [("state", "in", OPEN_STATES)]
        )

    def action_view_vendor_requests(self):
        self.ensure_one()
        return self._requests_action(
            self.env._("Requests with the vendor in %(unit)s", unit=self.unit_id.name),
            [("state", "in", OPEN_STATES), ("handled_by_vendor", "=", True)],
        )

    def action_view_recent_requests(self):
        self.ensure_one()
        windows = self._today_windows()
        return self._requests_action(
            self.env._("Requests of the last 30 days in %(unit)s", unit=self.unit_id.name),
            [("create_date", ">=", windows["since_30"]), ("create_date", "<", windows["end"])],
        )

    def action_view_escalated_requests(self):
        self.ensure_one()
        windows = self._today_windows()
        return self._requests_action(
            self.env._("Escalated requests of the last 90 days in %(unit)s", unit=self.unit_id.name),
            [
                ("create_date", ">=", windows["since_90"]),
                ("create_date", "<", windows["end"]),
                ("escalation_count", ">", 0),
            ],
        )

    def action_view_answered_requests(self):
        self.ensure_one()
        windows = self._today_windows()
        return self._requests_action(
            self.env._("Requests answered in the last 90 days in %(unit)s", unit=self.unit_id.name),
            [("date_first_response", ">=", windows["since_90"]), ("date_first_response", "<", windows["end"])],
        )

    def action_view_solved_requests(self):
        self.ensure_one()
        windows = self._today_windows()
        return self._requests_action(
            self.env._("Requests solved in the last 90 days in %(unit)s", unit=self.unit_id.name),
            [("date_solved", ">=", windows["since_90"]), ("date_solved", "<", windows["end"])],
        )
