from odoo import api, fields, models
from odoo.tools import SQL

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
# Figures per subtree, in the order of the membership query's columns.
MEMBERSHIP_FIELDS = [*STATE_FIELDS.values(), "member_paying_count", "member_lapsed_count"]
MEMBERSHIP_SHARES = [
    ("member_paying_share", "member_paying_count", "member_count"),
    ("member_lapsed_share", "member_lapsed_count", "member_count"),
]


class LeddAdoptionSnapshot(models.Model):
    _inherit = "ledd.adoption.snapshot"

    member_paid_count = fields.Integer(string="Paid Members", readonly=True, aggregator="max")
    member_invoiced_count = fields.Integer(
        string="Invoiced Members",
        readonly=True,
        aggregator="max",
        help="Members whose membership is invoiced and not paid yet.",
    )
    member_free_count = fields.Integer(string="Free Members", readonly=True, aggregator="max")
    member_waiting_count = fields.Integer(
        string="Waiting Members",
        readonly=True,
        aggregator="max",
        help="Members who applied for membership and have no invoice yet.",
    )
    member_old_count = fields.Integer(
        string="Old Members", readonly=True, aggregator="max", help="Members whose membership has ended."
    )
    member_canceled_count = fields.Integer(
        string="Cancelled Members",
        readonly=True,
        aggregator="max",
        help="Members whose membership invoice was cancelled.",
    )
    member_none_count = fields.Integer(
        string="Members without Membership",
        readonly=True,
        aggregator="max",
        help="Members of the subtree who never had a membership.",
    )
    member_paying_count = fields.Integer(
        string="Paying Members",
        readonly=True,
        aggregator="max",
        help="Members with a paid, invoiced or free membership.",
    )
    member_lapsed_count = fields.Integer(
        string="Lapsed Members",
        readonly=True,
        aggregator="max",
        help="Members whose membership has ended or was cancelled.",
    )
    member_paying_share = fields.Float(
        string="Paying Members (%)",
        compute="_compute_shares",
        store=True,
        aggregator="avg",
        help="Share of the members with a paid, invoiced or free membership.",
    )
    member_lapsed_share = fields.Float(
        string="Lapsed Members (%)",
        compute="_compute_shares",
        store=True,
        aggregator="avg",
        help="Share of the members whose membership has ended or was cancelled.",
    )
    member_paying_share_status = fields.Selection(
        selection="_selection_light", string="Paying Members Light", compute="_compute_status"
    )

    @api.model
    def _share_definitions(self):
        return super()._share_definitions() + MEMBERSHIP_SHARES

    @api.depends("member_paying_count", "member_lapsed_count", "member_count")
    def _compute_shares(self):
        return super()._compute_shares()

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    @api.model
    def _compute_snapshot_figures(self, date, units):
        figures = super()._compute_snapshot_figures(date, units)
        empty = dict.fromkeys(MEMBERSHIP_FIELDS, 0)
        for values in figures.values():
            values.update(empty)
        for row in self._execute_timed("membership", self._membership_figures_query()):
            values = figures.get(row[0])
            if values is not None:
                values.update(zip(MEMBERSHIP_FIELDS, row[1:], strict=True))
        return figures

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
