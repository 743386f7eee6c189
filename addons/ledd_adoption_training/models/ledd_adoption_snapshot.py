from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.ledd_adoption.figures import Count, Kpi, Section, declare_figures

_lt = LazyTranslate(__name__)

# The training query's columns, in order.
TRAINING_COUNTS = [
    "training_assignment_count",
    "training_done_count",
    "training_overdue_count",
    "training_people_count",
    "training_trained_people_count",
]


@declare_figures(
    Section(
        title=_lt("Mandatory Training"),
        provider="_training_figures",
        figures=[
            Count(
                "training_assignment_count",
                "Mandatory Training",
                help="Current cycles of mandatory training of the current roles in the subtree.",
                action="action_view_training",
            ),
            Count(
                "training_done_count",
                "Training Complete",
                help="Of those, the ones done and still valid, or waived.",
            ),
            Kpi(
                "training_completion_share",
                "Training Completion (%)",
                unit="%",
                numerator="training_done_count",
                denominator="training_assignment_count",
                target=90.0,
                help="Share of the current mandatory training that is complete (done or waived).",
                action="action_view_incomplete_training",
            ),
            Kpi(
                "training_overdue_count",
                "Overdue Training",
                unit="count",
                lower_is_better=True,
                help="Of those, the ones past their due date and not done.",
                action="action_view_overdue_training",
            ),
            Count(
                "training_people_count",
                "People with Mandatory Training",
                help="People with a current role in the subtree that requires mandatory training.",
            ),
            Count(
                "training_trained_people_count",
                "People Fully Trained",
                help="Of those, the people who have completed all their mandatory training.",
            ),
            Kpi(
                "training_trained_share",
                "People Fully Trained (%)",
                unit="%",
                numerator="training_trained_people_count",
                denominator="training_people_count",
                target=90.0,
                shown=False,
                help="Share of the people with mandatory training who have completed all of it.",
                action="action_view_untrained_people",
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
    def _current_training_query(self, date):
        """SQL of the current mandatory training on ``date``, one row per person
        and requirement, with its state on that day.

        The current cycle of a requirement is its latest one that is not
        cancelled; it counts only while a current role (of ``date``) requires
        it. Columns: id, partner_id, unit_id, is_complete, is_overdue, is_expired.
        States are as they stand; a due date or a validity that ended by
        ``date`` counts even before the nightly training job has moved the state."""
        return SQL(
            """
            SELECT latest.id, latest.partner_id, latest.unit_id,
                   (latest.state = 'waived'
                    OR (latest.state = 'done' AND (latest.date_expiry IS NULL OR latest.date_expiry > %(date)s)))
                       AS is_complete,
                   (latest.state = 'overdue' OR (latest.state = 'due' AND latest.date_due < %(date)s))
                       AS is_overdue,
                   (latest.state = 'expired' OR (latest.state = 'done' AND latest.date_expiry <= %(date)s))
                       AS is_expired
              FROM (SELECT DISTINCT ON (a.partner_id, a.requirement_id)
                           a.id, a.partner_id, a.unit_id, a.role_id, a.state, a.date_due, a.date_expiry
                      FROM %(assignments)s a
                     WHERE a.mandatory AND a.state <> 'cancelled'
                  ORDER BY a.partner_id, a.requirement_id, a.cycle DESC, a.id DESC) latest
              JOIN ledd_role role ON role.id = latest.role_id
             WHERE latest.unit_id IS NOT NULL
               AND role.active
               AND role.date_start <= %(date)s
               AND (role.date_end IS NULL OR role.date_end > %(date)s)
            """,
            date=date,
            assignments=SQL.identifier(self.env["ledd.training.assignment"]._table),
        )

    @api.model
    def _training_figures(self, date, units):
        return self._fetch_figures("training", self._training_figures_query(date), TRAINING_COUNTS)

    @api.model
    def _training_figures_query(self, date):
        """Per subtree: current mandatory training, complete and overdue, and the
        people with it and those who completed all of it.

        A person counts once per subtree, even with training for roles in several
        of its units; fully trained means all of the person's current mandatory
        training is complete, wherever its roles are. People do not add up from
        the units below, so every row is joined to each of its unit's ancestors."""
        return SQL(
            """
            WITH current_training AS (%(current)s),
            people AS (
                SELECT partner_id, bool_and(is_complete) AS is_trained
                  FROM current_training
              GROUP BY partner_id
            )
            SELECT ancestor.id,
                   count(*),
                   count(*) FILTER (WHERE ct.is_complete),
                   count(*) FILTER (WHERE ct.is_overdue),
                   count(DISTINCT ct.partner_id),
                   count(DISTINCT ct.partner_id) FILTER (WHERE pe.is_trained)
              FROM current_training ct
              JOIN people pe ON pe.partner_id = ct.partner_id
                   %(to_ancestors)s
          GROUP BY ancestor.id
            """,
            current=self._current_training_query(date),
            to_ancestors=self._ancestor_join(SQL("ct.unit_id")),
        )

    @api.model
    def _get_coverage_superusers(self, date, active_days=30):
        """Only trained superusers cover a unit: none of their current mandatory
        training may be overdue or expired."""
        superusers = super()._get_coverage_superusers(date, active_days=active_days)
        if not superusers:
            return superusers
        untrained = {
            row[0]
            for row in self._execute_timed(
                "coverage training",
                SQL(
                    """
                    WITH current_training AS (%(current)s)
                    SELECT DISTINCT partner_id
                      FROM current_training
                     WHERE partner_id = ANY(%(partner_ids)s) AND (is_overdue OR is_expired)
                    """,
                    current=self._current_training_query(date),
                    partner_ids=list({partner_id for _unit_id, partner_id in superusers}),
                ),
            )
        }
        return [row for row in superusers if row[1] not in untrained]

    # ------------------------------------------------------------------
    # Drill-down: the training behind a figure (as it is today)
    # ------------------------------------------------------------------
    def _subtree_training_rows(self, condition=None):
        """(assignment id, partner id, person trained) of today's current mandatory
        training of this snapshot's subtree that meets SQL ``condition``."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH current_training AS (%(current)s),
                people AS (
                    SELECT partner_id, bool_and(is_complete) AS is_trained
                      FROM current_training
                  GROUP BY partner_id
                )
                SELECT ct.id, ct.partner_id, pe.is_trained
                  FROM current_training ct
                  JOIN people pe ON pe.partner_id = ct.partner_id
                  JOIN ledd_unit lu ON lu.id = ct.unit_id
                 WHERE lu.parent_path LIKE %(path)s AND %(condition)s
                """,
                current=self._current_training_query(fields.Date.context_today(self)),
                path=f"{self.unit_id.sudo().parent_path}%",
                condition=condition or SQL("TRUE"),
            )
        )
        return self.env.cr.fetchall()

    def _training_action(self, name, condition=None):
        self.ensure_one()
        self.check_access("read")  # before reading the training of the subtree
        assignment_ids = [row[0] for row in self._subtree_training_rows(condition)]
        return self._figure_action(name, "ledd.training.assignment", [("id", "in", assignment_ids)])

    def action_view_training(self):
        self.ensure_one()
        return self._training_action(self.env._("Mandatory training in %(unit)s", unit=self.unit_id.name))

    def action_view_incomplete_training(self):
        self.ensure_one()
        return self._training_action(
            self.env._("Mandatory training not complete in %(unit)s", unit=self.unit_id.name),
            SQL("NOT ct.is_complete"),
        )

    def action_view_overdue_training(self):
        self.ensure_one()
        return self._training_action(
            self.env._("Overdue training in %(unit)s", unit=self.unit_id.name), SQL("ct.is_overdue")
        )

    def action_view_untrained_people(self):
        self.ensure_one()
        self.check_access("read")
        partner_ids = sorted({row[1] for row in self._subtree_training_rows() if not row[2]})
        return self._people_action(
            self.env._("People not fully trained in %(unit)s", unit=self.unit_id.name),
            [("id", "in", partner_ids)],
        )
