from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..figures import Count, Kpi, Section, declare_figures

_lt = LazyTranslate(__name__)

# A valid email address: something@domain.tld, without spaces.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
# The people query's columns, in order.
PEOPLE_COUNTS = [
    "member_count",
    "member_user_count",
    "user_count",
    "active_7_count",
    "active_30_count",
    "active_90_count",
    "email_count",
    "phone_count",
    "address_count",
]


@declare_figures(
    Section(
        title=_lt("People"),
        provider="_people_figures",
        figures=[
            Count("member_count", "Members", shown=True, action="action_view_members"),
            Count("member_user_count", "Members with Login", help="Members who have a portal or internal user."),
            Kpi(
                "login_share",
                "Members with Login (%)",
                unit="%",
                numerator="member_user_count",
                denominator="member_count",
                target=80.0,
            ),
            Count(
                "user_count",
                "People with Login",
                help="Members and staff of the subtree who have a portal or internal user.",
                action="action_view_logins",
            ),
        ],
    ),
    Section(
        title=_lt("Activity"),
        provider="_people_figures",
        figures=[
            Count("active_7_count", "Active 7 Days", action="action_view_active_7"),
            Kpi("active_30_count", "Active 30 Days", unit="count", action="action_view_active_30"),
            Count("active_90_count", "Active 90 Days", action="action_view_active_90"),
            Kpi(
                "active_30_share",
                "Active 30 Days (%)",
                unit="%",
                numerator="active_30_count",
                denominator="user_count",
                target=50.0,
                help="Share of the people with a login who used Ledd in the last 30 days.",
            ),
        ],
    ),
    Section(
        title=_lt("Data Quality"),
        provider="_people_figures",
        figures=[
            Count("email_count", "Members with Valid Email"),
            Kpi(
                "email_share",
                "Valid Email (%)",
                unit="%",
                numerator="email_count",
                denominator="member_count",
                target=90.0,
                action="action_view_missing_email",
            ),
            Count("phone_count", "Members with Phone"),
            Kpi(
                "phone_share",
                "Phone (%)",
                unit="%",
                numerator="phone_count",
                denominator="member_count",
                target=80.0,
                shown=False,
                action="action_view_missing_phone",
            ),
            Count("address_count", "Members with Address", help="Street, postcode and city filled in."),
            Kpi(
                "address_share",
                "Address (%)",
                unit="%",
                numerator="address_count",
                denominator="member_count",
                target=80.0,
                shown=False,
                action="action_view_missing_address",
            ),
        ],
    ),
    Section(
        title=_lt("Superuser Coverage"),
        provider="_coverage_figures",
        figures=[
            Count(
                "coverage_unit_count",
                "Units Needing a Superuser",
                help="Units of the subtree whose level needs a superuser (local branches by default).",
            ),
            Count(
                "covered_unit_count",
                "Units with Active Superuser",
                help="Of those, units with a current superuser who used Ledd in the last 30 days.",
            ),
            Kpi(
                "coverage_share",
                "Superuser Coverage (%)",
                unit="%",
                numerator="covered_unit_count",
                denominator="coverage_unit_count",
                target=100.0,
                action="action_view_uncovered_units",
            ),
        ],
    ),
)
class LeddAdoptionSnapshot(models.Model):
    """The figures of a unit's whole subtree on a day: one row per unit and day.

    The figures are the columns declared with ``declare_figures`` (see
    ``odoo.addons.ledd_adoption.figures``), here and in the bridge addons."""

    _name = "ledd.adoption.snapshot"
    _inherit = ["ledd.adoption.figures.mixin"]
    _description = "Adoption Figures of a Unit on a Day"
    _order = "date desc, unit_complete_name"
    _rec_name = "unit_id"

    unit_complete_name = fields.Char(related="unit_id.complete_name", store=True, string="Unit Path")
    unit_type_id = fields.Many2one(related="unit_id.type_id", store=True, string="Level")
    parent_unit_id = fields.Many2one(related="unit_id.parent_id", store=True, string="Parent Unit")

    _sql_constraints = [
        ("date_unit_unique", "unique(date, unit_id)", "A unit has one set of figures per day."),
    ]

    # ------------------------------------------------------------------
    # Building: the nightly job, and the providers of the core figures
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
    def _people_figures(self, date, units):
        return self._fetch_figures("people", self._people_figures_query(date), PEOPLE_COUNTS)

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
    def _coverage_figures(self, date, units):
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
        figures = {}
        for unit_id, parent_path in coverage_units:
            for ancestor_id in parent_path.rstrip("/").split("/"):
                values = figures.setdefault(int(ancestor_id), {"coverage_unit_count": 0, "covered_unit_count": 0})
                values["coverage_unit_count"] += 1
                values["covered_unit_count"] += unit_id in covered
        return figures

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
        return self._figure_action(name, "res.partner", domain)

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
        covered = {unit_id for unit_id, _partner_id in self._get_coverage_superusers(fields.Date.context_today(self))}
        units = self.env["ledd.unit"].search(
            [
                ("id", "child_of", self.unit_id.id),
                ("type_id.adoption_coverage", "=", True),
                ("id", "not in", list(covered)),
            ]
        )
        return self._figure_action(
            self.env._("Units without an active superuser"), "ledd.unit", [("id", "in", units.ids)]
        )

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

    def _digest_lines(self):
        """The KPIs of the digest, each with its value and its light when it has a
        target: ``[{"label", "value", "light"}]``. A share or median of nothing is
        left out."""
        self.ensure_one()
        lights = dict(self._selection_light())
        lines = []
        for kpi in self._kpis():
            if kpi.denominator and not self[kpi.denominator]:
                continue
            value = self[kpi.code]
            if kpi.unit == "%":
                text = f"{value:.0f} %"
            elif kpi.unit == "hours":
                text = self.env._("%(hours)s h", hours=round(value, 1))
            else:
                text = str(value)
            light = self[kpi.status_field]
            lines.append(
                {
                    "label": self._fields[kpi.code]._description_string(self.env),
                    "value": text,
                    "light": lights[light] if light != "none" else "",
                }
            )
        return lines
