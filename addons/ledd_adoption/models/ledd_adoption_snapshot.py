import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Share fields: (share field, numerator count, denominator count)
SHARES = [
    ("login_share", "member_user_count", "member_count"),
    ("active_30_share", "active_30_count", "user_count"),
    ("email_share", "email_count", "member_count"),
    ("phone_share", "phone_count", "member_count"),
    ("address_share", "address_count", "member_count"),
    ("coverage_share", "covered_unit_count", "coverage_unit_count"),
]
STATUS_SELECTION = [("none", "No Target"), ("red", "Red"), ("amber", "Amber"), ("green", "Green")]
STATUS_RANK = {"red": 0, "amber": 1, "green": 2}
# A valid email address: something@domain.tld, without spaces.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
WRITE_BATCH = 1000


class LeddAdoptionSnapshot(models.Model):
    _name = "ledd.adoption.snapshot"
    _description = "Adoption Figures of a Unit on a Day"
    _order = "date desc, unit_complete_name"
    _rec_name = "unit_id"

    date = fields.Date(required=True, index=True, readonly=True)
    unit_id = fields.Many2one("ledd.unit", string="Unit", required=True, index=True, ondelete="cascade", readonly=True)
    unit_complete_name = fields.Char(related="unit_id.complete_name", store=True, string="Unit Path")
    unit_type_id = fields.Many2one(related="unit_id.type_id", store=True, string="Level")
    parent_unit_id = fields.Many2one(related="unit_id.parent_id", store=True, string="Parent Unit")
    is_latest = fields.Boolean(string="Latest", index=True, readonly=True, help="The unit's most recent figures.")
    member_count = fields.Integer(string="Members", readonly=True, aggregator="max")
    member_user_count = fields.Integer(
        string="Members with Login",
        readonly=True,
        aggregator="max",
        help="Members who have a portal or internal user.",
    )
    user_count = fields.Integer(
        string="People with Login",
        readonly=True,
        aggregator="max",
        help="Members and staff of the subtree who have a portal or internal user.",
    )
    active_7_count = fields.Integer(string="Active 7 Days", readonly=True, aggregator="max")
    active_30_count = fields.Integer(string="Active 30 Days", readonly=True, aggregator="max")
    active_90_count = fields.Integer(string="Active 90 Days", readonly=True, aggregator="max")
    email_count = fields.Integer(string="Members with Valid Email", readonly=True, aggregator="max")
    phone_count = fields.Integer(string="Members with Phone", readonly=True, aggregator="max")
    address_count = fields.Integer(
        string="Members with Address",
        readonly=True,
        aggregator="max",
        help="Street, postcode and city filled in.",
    )
    coverage_unit_count = fields.Integer(
        string="Units Needing a Superuser",
        readonly=True,
        aggregator="max",
        help="Units of the subtree whose level needs a superuser (local branches by default).",
    )
    covered_unit_count = fields.Integer(
        string="Units with Active Superuser",
        readonly=True,
        aggregator="max",
        help="Of those, units with a current superuser who used Ledd in the last 30 days.",
    )
    login_share = fields.Float(string="Members with Login (%)", compute="_compute_shares", store=True, aggregator="avg")
    active_30_share = fields.Float(
        string="Active 30 Days (%)",
        compute="_compute_shares",
        store=True,
        aggregator="avg",
        help="Share of the people with a login who used Ledd in the last 30 days.",
    )
    email_share = fields.Float(string="Valid Email (%)", compute="_compute_shares", store=True, aggregator="avg")
    phone_share = fields.Float(string="Phone (%)", compute="_compute_shares", store=True, aggregator="avg")
    address_share = fields.Float(string="Address (%)", compute="_compute_shares", store=True, aggregator="avg")
    coverage_share = fields.Float(
        string="Superuser Coverage (%)", compute="_compute_shares", store=True, aggregator="avg"
    )
    status = fields.Selection(
        STATUS_SELECTION,
        string="Traffic Light",
        compute="_compute_status",
        help="The worst light of the figures that have a target.",
    )
    login_share_status = fields.Selection(STATUS_SELECTION, string="Login Light", compute="_compute_status")
    active_30_share_status = fields.Selection(STATUS_SELECTION, string="Activity Light", compute="_compute_status")
    email_share_status = fields.Selection(STATUS_SELECTION, string="Email Light", compute="_compute_status")
    coverage_share_status = fields.Selection(STATUS_SELECTION, string="Coverage Light", compute="_compute_status")

    _sql_constraints = [
        ("date_unit_unique", "unique(date, unit_id)", "A unit has one set of figures per day."),
    ]

    @api.depends(*{field for share in SHARES for field in share[1:]})
    def _compute_shares(self):
        for snapshot in self:
            for share, numerator, denominator in self._share_definitions():
                total = snapshot[denominator]
                snapshot[share] = 100.0 * snapshot[numerator] / total if total else 0.0

    @api.model
    def _selection_light(self):
        """The traffic lights, as the overall light has them: bridge addons use it
        for the lights of their own figures."""
        return self._fields["status"]._description_selection(self.env)

    @api.model
    def _share_definitions(self):
        """(share field, numerator field, denominator field) of the stored shares."""
        return SHARES

    def _compute_status(self):
        """The overall light, and ``<kpi>_status`` for every figure that can get a
        target and has such a field (bridge addons only declare the field)."""
        target_model = self.env["ledd.adoption.target"]
        lights = target_model._evaluate(self)
        shown = [kpi for kpi, _label in target_model._selection_kpi() if f"{kpi}_status" in self._fields]
        for snapshot in self:
            snapshot_lights = lights.get(snapshot.id, {})
            for kpi in shown:
                snapshot[f"{kpi}_status"] = snapshot_lights.get(kpi, "none")
            ranked = [light for light in snapshot_lights.values() if light in STATUS_RANK]
            snapshot.status = min(ranked, key=STATUS_RANK.get) if ranked else "none"

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    @api.model
    def _cron_build(self):
        """Nightly: today's figures for every unit, then move units along their waves.

        One transaction: an interrupted run leaves the previous figures, and the
        next run (or a run by hand) builds the day again."""
        timings = self._build_snapshots()
        self.env["ir.cron"]._notify_progress(done=timings["units"], remaining=0)
        self.env["ledd.unit"]._cron_advance_rollout()

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
        self.env.cr.execute(
            SQL(
                "DELETE FROM ledd_adoption_snapshot WHERE date = %s AND unit_id = ANY(%s)",
                date,
                units.ids,
            )
        )
        self.env.invalidate_all()
        vals_list = [{"date": date, "unit_id": unit_id, **values} for unit_id, values in figures.items()]
        for start in range(0, len(vals_list), WRITE_BATCH):
            self.create(vals_list[start : start + WRITE_BATCH])
        self.flush_model()
        # The latest row of each unit: the one with the greatest date.
        self.env.cr.execute(
            SQL(
                """
                UPDATE ledd_adoption_snapshot s
                   SET is_latest = (s.date = latest.date)
                  FROM (SELECT unit_id, max(date) AS date
                          FROM ledd_adoption_snapshot
                         WHERE unit_id = ANY(%(unit_ids)s)
                      GROUP BY unit_id) latest
                 WHERE s.unit_id = latest.unit_id
                   AND (s.is_latest OR s.date = latest.date)
                   AND s.is_latest IS DISTINCT FROM (s.date = latest.date)
                """,
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
        """Figures of each unit's subtree on ``date``: ``{unit_id: {field: value}}``.

        Bridge addons add their own figures: call super() and update each unit's
        dict with their fields. Counts that add up are computed per unit and
        summed to every ancestor through ``parent_path``; figures that do not
        add up (medians) must be computed per subtree."""
        count_fields = [
            "member_count",
            "member_user_count",
            "user_count",
            "active_7_count",
            "active_30_count",
            "active_90_count",
            "email_count",
            "phone_count",
            "address_count",
            "coverage_unit_count",
            "covered_unit_count",
        ]
        figures = {unit_id: dict.fromkeys(count_fields, 0) for unit_id in units.ids}
        for row in self._execute_timed("people", self._people_figures_query(date)):
            values = figures.get(row[0])
            if values is not None:
                values.update(zip(count_fields[:9], row[1:], strict=True))
        self._add_coverage_figures(date, figures)
        return figures

    @api.model
    def _people_figures_query(self, date):
        """Per unit and subtree: people, logins, activity and data quality.

        Aggregates per home unit first (one pass over the people), then sums
        the few hundred per-unit rows to every ancestor of the unit."""
        return SQL(
            """
            WITH activity AS (
                SELECT u.partner_id, max(a.date) AS last_date
                  FROM ledd_user_activity a
                  JOIN res_users u ON u.id = a.user_id AND u.active
                 WHERE a.date > %(date)s::date - 90 AND a.date <= %(date)s::date
              GROUP BY u.partner_id
            ), logins AS (
                SELECT DISTINCT partner_id FROM res_users WHERE active
            ), per_unit AS (
                SELECT p.ledd_unit_id AS unit_id,
                       count(*) FILTER (WHERE p.ledd_is_member) AS member_count,
                       count(l.partner_id) FILTER (WHERE p.ledd_is_member) AS member_user_count,
                       count(l.partner_id) AS user_count,
                       count(l.partner_id) FILTER (WHERE ac.last_date > %(date)s::date - 7) AS active_7_count,
                       count(l.partner_id) FILTER (WHERE ac.last_date > %(date)s::date - 30) AS active_30_count,
                       count(l.partner_id) FILTER (WHERE ac.last_date IS NOT NULL) AS active_90_count,
                       count(*) FILTER (WHERE p.ledd_is_member AND %(email_ok)s) AS email_count,
                       count(*) FILTER (WHERE p.ledd_is_member AND %(phone_ok)s) AS phone_count,
                       count(*) FILTER (WHERE p.ledd_is_member AND %(address_ok)s) AS address_count
                  FROM res_partner p
             LEFT JOIN logins l ON l.partner_id = p.id
             LEFT JOIN activity ac ON ac.partner_id = p.id
                 WHERE %(is_person)s
              GROUP BY p.ledd_unit_id
            )
            SELECT ancestor.id,
                   sum(pu.member_count)::int, sum(pu.member_user_count)::int, sum(pu.user_count)::int,
                   sum(pu.active_7_count)::int, sum(pu.active_30_count)::int, sum(pu.active_90_count)::int,
                   sum(pu.email_count)::int, sum(pu.phone_count)::int, sum(pu.address_count)::int
              FROM per_unit pu
                   %(to_ancestors)s
          GROUP BY ancestor.id
            """,
            date=date,
            to_ancestors=self._ancestor_join(SQL("pu.unit_id")),
            is_person=self._person_condition(),
            email_ok=self._quality_condition("email"),
            phone_ok=self._quality_condition("phone"),
            address_ok=self._quality_condition("address"),
        )

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

    @api.model
    def _person_condition(self, alias="p"):
        """SQL condition on res_partner ``alias``: a person of a unit (member or
        staff), not a company nor a unit's own contact."""
        return SQL(
            """%(p)s.active AND %(p)s.ledd_unit_id IS NOT NULL AND NOT coalesce(%(p)s.is_company, false)
               AND NOT EXISTS (SELECT 1 FROM ledd_unit own WHERE own.partner_id = %(p)s.id)""",
            p=SQL.identifier(alias),
        )

    @api.model
    def _quality_condition(self, what, alias="p"):
        """SQL condition on res_partner ``alias``: its ``what`` (email, phone,
        address) is usable."""
        p = SQL.identifier(alias)
        if what == "email":
            return SQL("coalesce(%s.email, '') ~ %s", p, EMAIL_PATTERN)
        if what == "phone":
            return SQL("(coalesce(trim(%s.phone), '') <> '' OR coalesce(trim(%s.mobile), '') <> '')", p, p)
        return SQL(
            "(coalesce(trim(%(p)s.street), '') <> '' AND coalesce(trim(%(p)s.zip), '') <> ''"
            " AND coalesce(trim(%(p)s.city), '') <> '')",
            p=p,
        )

    @api.model
    def _add_coverage_figures(self, date, figures):
        """Units needing a superuser, and those that have a qualifying one, summed
        over each subtree."""
        coverage_units = self._execute_timed(
            "coverage units",
            SQL(
                """
                SELECT lu.id, lu.parent_path
                  FROM ledd_unit lu
                  JOIN ledd_unit_type ut ON ut.id = lu.type_id
                 WHERE lu.active AND ut.adoption_coverage
                """
            ),
        )
        covered = {unit_id for unit_id, _partner_id in self._get_coverage_superusers(date)}
        for unit_id, parent_path in coverage_units:
            for ancestor_id in parent_path.rstrip("/").split("/"):
                values = figures.get(int(ancestor_id))
                if values is not None:
                    values["coverage_unit_count"] += 1
                    values["covered_unit_count"] += unit_id in covered

    @api.model
    def _get_coverage_superusers(self, date, active_days=30):
        """(unit id, partner id) of the current superusers of units that need one,
        who used Ledd in the ``active_days`` up to ``date``.

        The training bridge keeps only the superusers who are trained."""
        return self._execute_timed(
            "coverage superusers",
            SQL(
                """
                SELECT DISTINCT r.unit_id, r.partner_id
                  FROM ledd_role r
                  JOIN ledd_role_type rt ON rt.id = r.role_type_id AND rt.is_superuser
                  JOIN ledd_unit lu ON lu.id = r.unit_id AND lu.active
                  JOIN ledd_unit_type ut ON ut.id = lu.type_id AND ut.adoption_coverage
                 WHERE r.active
                   AND r.date_start <= %(date)s
                   AND (r.date_end IS NULL OR r.date_end > %(date)s)
                   AND EXISTS (
                        SELECT 1
                          FROM res_users u
                          JOIN ledd_user_activity a ON a.user_id = u.id
                         WHERE u.partner_id = r.partner_id AND u.active
                           AND a.date > %(since)s AND a.date <= %(date)s)
                """,
                date=date,
                since=date - timedelta(days=active_days),
            ),
        )

    # ------------------------------------------------------------------
    # Drill-down: the people behind a figure (as they are now)
    # ------------------------------------------------------------------
    def _people_action(self, name, domain):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
        }

    def _subtree_partner_ids(self, condition):
        """Ids of the people of this snapshot's subtree that meet SQL ``condition``."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                  JOIN ledd_unit lu ON lu.id = p.ledd_unit_id
                 WHERE lu.parent_path LIKE %(path)s AND %(is_person)s AND %(condition)s
                """,
                path=f"{self.unit_id.sudo().parent_path}%",
                is_person=self._person_condition(),
                condition=condition,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def action_view_members(self):
        return self._people_action(
            self.env._("Members of %(unit)s", unit=self.unit_id.name),
            [("ledd_unit_id", "child_of", self.unit_id.id), ("ledd_is_member", "=", True)],
        )

    def action_view_logins(self):
        return self._people_action(
            self.env._("People with a login in %(unit)s", unit=self.unit_id.name),
            [("ledd_unit_id", "child_of", self.unit_id.id), ("user_ids", "!=", False), ("is_company", "=", False)],
        )

    def _action_view_active(self, days):
        self.ensure_one()
        today = fields.Date.context_today(self)
        partner_ids = self._subtree_partner_ids(
            SQL(
                """EXISTS (SELECT 1 FROM res_users u JOIN ledd_user_activity a ON a.user_id = u.id
                            WHERE u.partner_id = p.id AND u.active AND a.date > %s AND a.date <= %s)""",
                today - timedelta(days=days),
                today,
            )
        )
        return self._people_action(
            self.env._("Active in the last %(days)s days in %(unit)s", days=days, unit=self.unit_id.name),
            [("id", "in", partner_ids)],
        )

    def action_view_active_7(self):
        return self._action_view_active(7)

    def action_view_active_30(self):
        return self._action_view_active(30)

    def action_view_active_90(self):
        return self._action_view_active(90)

    def _action_view_missing(self, what, name):
        partner_ids = self._subtree_partner_ids(SQL("p.ledd_is_member AND NOT %s", self._quality_condition(what)))
        return self._people_action(name, [("id", "in", partner_ids)])

    def action_view_missing_email(self):
        self.ensure_one()
        return self._action_view_missing(
            "email", self.env._("Members without a valid email in %(unit)s", unit=self.unit_id.name)
        )

    def action_view_missing_phone(self):
        self.ensure_one()
        return self._action_view_missing(
            "phone", self.env._("Members without phone in %(unit)s", unit=self.unit_id.name)
        )

    def action_view_missing_address(self):
        self.ensure_one()
        return self._action_view_missing(
            "address", self.env._("Members without a full address in %(unit)s", unit=self.unit_id.name)
        )

    def action_view_uncovered_units(self):
        """Units of the subtree that need a superuser and have no active one today."""
        self.ensure_one()
        self.check_access("read")
        covered = {unit_id for unit_id, _partner_id in self._get_coverage_superusers(fields.Date.context_today(self))}
        units = self.env["ledd.unit"].search(
            [
                ("id", "child_of", self.unit_id.id),
                ("type_id.adoption_coverage", "=", True),
                ("id", "not in", list(covered)),
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Units without an active superuser"),
            "res_model": "ledd.unit",
            "views": [[False, "list"], [False, "form"]],
            "domain": [("id", "in", units.ids)],
        }

    def action_view_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_adoption.ledd_adoption_snapshot_action_history")
        action["domain"] = [("unit_id", "=", self.unit_id.id)]
        action["context"] = {"graph_groupbys": ["date:day"]}
        return action

    # ------------------------------------------------------------------
    # Monthly digest
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_digest(self):
        """Monthly: each unit's latest figures to its current leaders; the figures
        of the top units also to the business owners. One mail per unit and language."""
        template = self.env.ref("ledd_adoption.mail_template_adoption_digest")
        snapshots = self.sudo().search([("is_latest", "=", True)])
        recipients = snapshots._digest_recipients()
        sent = 0
        for snapshot in snapshots:
            partners = recipients.get(snapshot.id)
            if not partners:
                continue
            for lang in set(partners.mapped("lang")):
                lang_partners = partners.filtered(lambda partner, lang=lang: partner.lang == lang)
                template.with_context(lang=lang or self.env.lang).send_mail(
                    snapshot.id,
                    email_values={"recipient_ids": [fields.Command.link(pid) for pid in lang_partners.ids]},
                )
                sent += 1
        self.env["ir.cron"]._notify_progress(done=sent, remaining=0)
        return sent

    def _digest_recipients(self):
        """``{snapshot id: partners}`` that receive the snapshot's digest."""
        leader_roles = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("unit_id", "in", self.unit_id.ids),
                    ("is_current", "=", True),
                    ("role_type_id.is_leader", "=", True),
                ]
            )
        )
        owners = self.env.ref("ledd_base.group_business_owner").sudo().users.filtered("active").partner_id
        result = {}
        for snapshot in self:
            partners = leader_roles.filtered(
                lambda role, snapshot=snapshot: role.unit_id == snapshot.unit_id
            ).partner_id
            if not snapshot.unit_id.parent_id:
                partners |= owners
            partners = partners.filtered("email")
            if partners:
                result[snapshot.id] = partners
        return result
