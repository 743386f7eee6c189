from odoo import api, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.ledd_adoption.figures import Count, Kpi, Section, declare_figures

_lt = LazyTranslate(__name__)

# Membership states of res.partner and the figure each is counted in.
STATE_FIELDS = {
    "paid": "member_paid_count",
    "invoiced": "member_invoiced_count",
    "free": "member_free_count",
    "waiting": "member_waiting_count",
    "old": "member_old_count",
    "canceled": "member_canceled_count",
    "none": "member_none_count",
}
PAYING_STATES = ("paid", "invoiced", "free")
LAPSED_STATES = ("old", "canceled")
# The membership query's columns, in order.
MEMBERSHIP_COUNTS = [*STATE_FIELDS.values(), "member_paying_count", "member_lapsed_count"]


@declare_figures(
    Section(
        title=_lt("Membership"),
        provider="_membership_figures",
        figures=[
            Count(
                "member_paying_count",
                "Paying Members",
                help="Members with a paid, invoiced or free membership.",
                action="action_view_paying_members",
            ),
            Count("member_paid_count", "Paid Members"),
            Count(
                "member_invoiced_count",
                "Invoiced Members",
                help="Members whose membership is invoiced and not paid yet.",
            ),
            Count("member_free_count", "Free Members"),
            Kpi(
                "member_paying_share",
                "Paying Members (%)",
                unit="%",
                numerator="member_paying_count",
                denominator="member_count",
                target=80.0,
                help="Share of the members with a paid, invoiced or free membership.",
            ),
            Count(
                "member_waiting_count",
                "Waiting Members",
                help="Members who applied for membership and have no invoice yet.",
                action="action_view_waiting_members",
            ),
            Count(
                "member_lapsed_count",
                "Lapsed Members",
                help="Members whose membership has ended or was cancelled.",
                action="action_view_lapsed_members",
            ),
            Count("member_old_count", "Old Members", help="Members whose membership has ended."),
            Count("member_canceled_count", "Cancelled Members", help="Members whose membership invoice was cancelled."),
            Kpi(
                "member_lapsed_share",
                "Lapsed Members (%)",
                unit="%",
                numerator="member_lapsed_count",
                denominator="member_count",
                lower_is_better=True,
                target=10.0,
                shown=False,
                help="Share of the members whose membership has ended or was cancelled.",
            ),
            Count(
                "member_none_count",
                "Members without Membership",
                help="Members of the subtree who never had a membership.",
                action="action_view_members_without_membership",
            ),
        ],
    )
)
class LeddAdoptionSnapshot(models.Model):
    _inherit = "ledd.adoption.snapshot"

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    @api.model
    def _membership_figures(self, date, units):
        return self._fetch_figures("membership", self._membership_figures_query(), MEMBERSHIP_COUNTS)

    @api.model
    def _membership_figures_query(self):
        """Per unit and subtree: the members by membership state, as the states
        stand (Odoo keeps only the current state of each person).

        Counts the members of each home unit first (the same people as the
        members figure), then sums the per-unit rows to every ancestor."""
        state_columns = SQL(", ").join(SQL("sum(pu.%s)::int", SQL.identifier(field)) for field in STATE_FIELDS.values())
        per_state = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE coalesce(p.membership_state, 'none') = %s) AS %s",
                state,
                SQL.identifier(field),
            )
            for state, field in STATE_FIELDS.items()
        )
        return SQL(
            """
            WITH per_unit AS (
                SELECT p.ledd_unit_id AS unit_id,
                       %(per_state)s,
                       count(*) FILTER (WHERE p.membership_state IN %(paying)s) AS paying_count,
                       count(*) FILTER (WHERE p.membership_state IN %(lapsed)s) AS lapsed_count
                  FROM res_partner p
                 WHERE %(is_person)s AND p.ledd_is_member
              GROUP BY p.ledd_unit_id
            )
            SELECT ancestor.id, %(state_columns)s, sum(pu.paying_count)::int, sum(pu.lapsed_count)::int
              FROM per_unit pu
                   %(to_ancestors)s
          GROUP BY ancestor.id
            """,
            per_state=per_state,
            paying=PAYING_STATES,
            lapsed=LAPSED_STATES,
            is_person=self._person_condition(),
            state_columns=state_columns,
            to_ancestors=self._ancestor_join(SQL("pu.unit_id")),
        )

    # ------------------------------------------------------------------
    # Drill-down: the members behind a figure (as they are now)
    # ------------------------------------------------------------------
    def _members_in_states_action(self, name, states):
        self.ensure_one()
        return self._people_action(
            name,
            [
                ("ledd_unit_id", "child_of", self.unit_id.id),
                ("ledd_is_member", "=", True),
                ("membership_state", "in", states),
            ],
        )

    def action_view_paying_members(self):
        self.ensure_one()
        return self._members_in_states_action(
            self.env._("Paying members of %(unit)s", unit=self.unit_id.name), list(PAYING_STATES)
        )

    def action_view_waiting_members(self):
        self.ensure_one()
        return self._members_in_states_action(
            self.env._("Waiting members of %(unit)s", unit=self.unit_id.name), ["waiting"]
        )

    def action_view_lapsed_members(self):
        self.ensure_one()
        return self._members_in_states_action(
            self.env._("Lapsed members of %(unit)s", unit=self.unit_id.name), list(LAPSED_STATES)
        )

    def action_view_members_without_membership(self):
        self.ensure_one()
        return self._members_in_states_action(
            self.env._("Members without membership in %(unit)s", unit=self.unit_id.name), ["none"]
        )
