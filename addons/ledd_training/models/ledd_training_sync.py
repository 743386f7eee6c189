import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models, tools

from .ledd_training_assignment import HELD_STATES, OPEN_STATES, OPEN_UNIQUE_INDEX

_logger = logging.getLogger(__name__)


class LeddTrainingSync(models.AbstractModel):
    """Keeps everyone's training assignments in line with their current roles
    and with the calendar: opens a cycle for every requirement of a current
    role that has none, cancels the open cycles no current role requires,
    enrols people in the courses of their new cycles, and moves states by date
    (due to overdue, done to expired, and the next cycle for who still needs
    it).

    Called when roles or requirements change, and by the daily cron of
    ``ledd.training.assignment``."""

    _name = "ledd.training.sync"
    _description = "Training Assignments by Roles and Dates"

    @api.model
    def _sync_partners(self, partners):
        """Bring the assignments of these people in line with their current roles.

        Creates a cycle for every requirement of a current role that has no open,
        done or waived cycle, and cancels open cycles that no current role requires.
        Two roles needing the same requirement share one assignment."""
        assignment_model = self.env["ledd.training.assignment"].sudo()
        if not partners:
            return assignment_model.browse()
        today = fields.Date.context_today(self)
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("is_current", "=", True)], order="date_start, id")
        )
        requirements = (
            self.env["ledd.training.requirement"].sudo().search([("role_type_id", "in", roles.role_type_id.ids)])
        )
        requirements_by_type = requirements.grouped("role_type_id")
        wanted = defaultdict(lambda: self.env["ledd.role"])
        for role in roles:
            for requirement in requirements_by_type.get(role.role_type_id, []):
                wanted[role.partner_id.id, requirement.id] |= role
        held = assignment_model.search([("partner_id", "in", partners.ids), ("state", "in", HELD_STATES)])
        held_keys = set()
        to_cancel = assignment_model.browse()
        for assignment in held:
            key = (assignment.partner_id.id, assignment.requirement_id.id)
            requiring = wanted.get(key)
            if not requiring:
                if assignment.state in OPEN_STATES:
                    to_cancel |= assignment
                continue
            # Shared by several roles: follow a role that still requires it.
            role = assignment.role_id if assignment.role_id in requiring else requiring[0]
            if (assignment.role_id, assignment.unit_id) != (role, role.unit_id):
                assignment.write({"role_id": role.id, "unit_id": role.unit_id.id, "role_type_id": role.role_type_id.id})
            held_keys.add(key)
        to_cancel.write({"state": "cancelled"})
        missing = [key for key in wanted if key not in held_keys]
        if not missing:
            return assignment_model.browse()
        past_cycles = defaultdict(int)
        for partner, requirement, count in assignment_model._read_group(
            [
                ("partner_id", "in", [key[0] for key in missing]),
                ("requirement_id", "in", [key[1] for key in missing]),
                ("state", "in", ("done", "expired")),
            ],
            ["partner_id", "requirement_id"],
            ["__count"],
        ):
            past_cycles[partner.id, requirement.id] = count
        requirement_model = self.env["ledd.training.requirement"]
        vals_list = []
        for key in missing:
            role = wanted[key][0]
            requirement = requirement_model.browse(key[1])
            cycle = past_cycles[key] + 1
            vals_list.append(
                {
                    "partner_id": key[0],
                    "requirement_id": requirement.id,
                    "role_id": role.id,
                    "role_type_id": role.role_type_id.id,
                    "unit_id": role.unit_id.id,
                    "channel_id": requirement._channel_for_cycle(cycle).id,
                    "cycle": cycle,
                    "state": "due",
                    "date_due": today + relativedelta(days=requirement.due_days),
                }
            )
        created = self._create_cycles(vals_list)
        self._enrol(created)
        return created

    @api.model
    def _create_cycles(self, vals_list):
        """Create new open cycles. Another transaction may open the same cycle at
        the same moment (two role changes for one person): the partial unique
        index refuses the second, and that cycle is skipped here, since the
        person has it already."""
        assignment_model = self.env["ledd.training.assignment"].sudo()
        try:
            with self.env.cr.savepoint():
                return assignment_model.create(vals_list)
        except UniqueViolation as exc:
            if exc.diag.constraint_name != OPEN_UNIQUE_INDEX:
                raise
        created = assignment_model.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= assignment_model.create(vals)
            except UniqueViolation as exc:
                if exc.diag.constraint_name != OPEN_UNIQUE_INDEX:
                    raise
                _logger.info(
                    "Training: open cycle of requirement %s for partner %s already created by another transaction",
                    vals["requirement_id"],
                    vals["partner_id"],
                )
        return created

    @api.model
    def _enrol(self, assignments):
        """Enrol the people in the courses of their new cycles. A course already
        finished counts for a first cycle; a refresher cycle of the same course
        starts it over, so that the retake is tracked by website_slides again."""
        courses = assignments.filtered("channel_id")
        for channel, course_assignments in courses.grouped("channel_id").items():
            channel.sudo()._action_add_members(course_assignments.partner_id)
        if not courses:
            return
        enrolments = (
            self.env["slide.channel.partner"]
            .sudo()
            .search(
                [
                    ("channel_id", "in", courses.channel_id.ids),
                    ("partner_id", "in", courses.partner_id.ids),
                    ("member_status", "=", "completed"),
                ]
            )
        )
        finished = {(enrolment.channel_id.id, enrolment.partner_id.id): enrolment for enrolment in enrolments}
        already_done = assignments.browse()
        retake = self.env["slide.channel.partner"]
        for assignment in courses:
            enrolment = finished.get((assignment.channel_id.id, assignment.partner_id.id))
            if not enrolment:
                continue
            if assignment.cycle == 1:
                already_done |= assignment
            else:
                retake |= enrolment
        if already_done:
            already_done._set_done(fields.Date.context_today(self), "course")
        if retake:
            self._restart_enrolments(retake)

    @api.model
    def _restart_enrolments(self, enrolments):
        pairs = {(enrolment.channel_id.id, enrolment.partner_id.id) for enrolment in enrolments}
        enrolments.write({"member_status": "joined", "completion": 0, "completed_slides_count": 0})
        self.env["slide.slide.partner"].sudo().search(
            [
                ("channel_id", "in", enrolments.channel_id.ids),
                ("partner_id", "in", enrolments.partner_id.ids),
                ("completed", "=", True),
            ]
        ).filtered(lambda slide_partner: (slide_partner.channel_id.id, slide_partner.partner_id.id) in pairs).write(
            {"completed": False}
        )

    @api.model
    def _update_states_by_date(self, batch_size=500):
        """Due → overdue when the due date has passed; done → expired when the
        validity has ended, opening the next cycle for people who still need it."""
        today = fields.Date.context_today(self)
        assignment_model = self.env["ledd.training.assignment"].sudo()
        overdue = assignment_model.search([("state", "=", "due"), ("date_due", "<", today)])
        overdue.write({"state": "overdue"})
        expired = assignment_model.search([("state", "=", "done"), ("date_expiry", "<=", today)])
        expired.write({"state": "expired"})
        partners = expired.partner_id | self._partners_out_of_sync()
        done = 0
        for batch in tools.split_every(batch_size, partners.ids, self.env["res.partner"].browse):
            self.sudo()._sync_partners(batch)
            done += len(batch)
            assignment_model._commit_batch(done, len(partners) - done)
        return len(overdue), len(expired)

    @api.model
    def _partners_out_of_sync(self):
        """People whose roles started or ended by date (the role cron recomputes
        is_current without writing), or whose role types got requirements."""
        self.env["ledd.role"].flush_model(["is_current", "partner_id", "role_type_id", "active"])
        self.env["ledd.training.assignment"].flush_model(["partner_id", "requirement_id", "state", "role_id"])
        self.env["ledd.training.requirement"].flush_model(["role_type_id", "active"])
        self.env.cr.execute(
            tools.SQL(
                """
                SELECT role.partner_id
                  FROM ledd_role role
                  JOIN ledd_training_requirement req ON req.role_type_id = role.role_type_id AND req.active
                 WHERE role.is_current
                   AND NOT EXISTS (
                        SELECT 1 FROM ledd_training_assignment a
                         WHERE a.partner_id = role.partner_id
                           AND a.requirement_id = req.id
                           AND a.state IN %(held)s)
                 UNION
                SELECT a.partner_id
                  FROM ledd_training_assignment a
                  LEFT JOIN ledd_role role ON role.id = a.role_id
                 WHERE a.state IN %(open)s
                   AND (role.id IS NULL OR NOT role.is_current)
                """,
                held=HELD_STATES,
                open=OPEN_STATES,
            )
        )
        return self.env["res.partner"].browse(row[0] for row in self.env.cr.fetchall())
