import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

OPEN_STATES = ("due", "overdue")
OPEN_UNIQUE_INDEX = "ledd_training_assignment_open_uniq"
# States that fulfil a requirement for now: no new cycle is opened next to them.
HELD_STATES = ("due", "overdue", "done", "waived")


class LeddTrainingAssignment(models.Model):
    _name = "ledd.training.assignment"
    _description = "Training Assignment"
    _inherit = ["mail.thread"]
    _order = "date_due, id"

    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, index=True, ondelete="cascade", readonly=True
    )
    requirement_id = fields.Many2one(
        "ledd.training.requirement", string="Requirement", required=True, index=True, ondelete="restrict", readonly=True
    )
    kind = fields.Selection(related="requirement_id.kind", store=True)
    mandatory = fields.Boolean(related="requirement_id.mandatory", store=True)
    role_id = fields.Many2one(
        "ledd.role",
        string="Role",
        index=True,
        ondelete="set null",
        readonly=True,
        help="The role that requires it (the first, when several roles require the same).",
    )
    role_type_id = fields.Many2one("ledd.role.type", string="Role Type", index=True, readonly=True)
    unit_id = fields.Many2one(
        "ledd.unit",
        string="Unit",
        index=True,
        ondelete="set null",
        readonly=True,
        help="Unit of the role: its leaders and the people who see its members follow the assignment up.",
    )
    channel_id = fields.Many2one("slide.channel", string="Course", index=True, ondelete="set null", readonly=True)
    cycle = fields.Integer(default=1, readonly=True, help="1 for the first time, 2 for the first refresher, and so on.")
    state = fields.Selection(
        [
            ("due", "Due"),
            ("overdue", "Overdue"),
            ("done", "Done"),
            ("expired", "Expired"),
            ("waived", "Waived"),
            ("cancelled", "Cancelled"),
        ],
        default="due",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    date_due = fields.Date(string="Due Date", index=True, readonly=True, tracking=True)
    date_done = fields.Date(string="Done On", readonly=True, tracking=True)
    date_expiry = fields.Date(string="Valid Until", index=True, readonly=True, tracking=True)
    done_how = fields.Selection(
        [("course", "Course finished"), ("document", "Document"), ("confirmation", "Confirmed by staff")],
        string="Done By",
        readonly=True,
    )
    document = fields.Binary(attachment=True, readonly=True)
    document_name = fields.Char(readonly=True)
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    note = fields.Text(readonly=True)
    waive_reason = fields.Text(string="Reason for Waiver", readonly=True)
    waived_by_id = fields.Many2one("res.users", string="Waived By", readonly=True)
    last_reminder_date = fields.Date(readonly=True, index=True)
    progress = fields.Integer(
        string="Progress (%)",
        compute="_compute_progress",
        help="Share of the course's contents the person has finished.",
    )
    course_url = fields.Char(compute="_compute_progress")

    def init(self):
        res = super().init()
        # At most one open cycle per person and requirement, even under concurrent role changes.
        index_name = OPEN_UNIQUE_INDEX
        if not tools.index_exists(self.env.cr, index_name):
            self.env.cr.execute(
                tools.SQL(
                    "CREATE UNIQUE INDEX %s ON %s (partner_id, requirement_id) WHERE state IN %s",
                    tools.SQL.identifier(index_name),
                    tools.SQL.identifier(self._table),
                    OPEN_STATES,
                )
            )
        return res

    @api.depends("partner_id", "requirement_id")
    def _compute_display_name(self):
        for assignment in self:
            assignment.display_name = self.env._(
                "%(requirement)s (%(person)s)",
                requirement=assignment.requirement_id.name,
                person=assignment.partner_id.name,
            )

    @api.depends("state", "channel_id", "partner_id")
    def _compute_progress(self):
        courses = self.filtered("channel_id")
        enrolments = (
            self.env["slide.channel.partner"]
            .sudo()
            .search([("channel_id", "in", courses.channel_id.ids), ("partner_id", "in", courses.partner_id.ids)])
        )
        completion = {
            (enrolment.channel_id.id, enrolment.partner_id.id): enrolment.completion for enrolment in enrolments
        }
        for assignment in self:
            assignment.course_url = (
                "/slides/%s" % self.env["ir.http"]._slug(assignment.channel_id.sudo())
                if assignment.channel_id
                else False
            )
            if assignment.state == "done":
                assignment.progress = 100
            elif assignment.state in OPEN_STATES:
                assignment.progress = completion.get((assignment.channel_id.id, assignment.partner_id.id), 0)
            else:
                assignment.progress = 0

    # ------------------------------------------------------------------
    # Following roles
    # ------------------------------------------------------------------
    @api.model
    def _sync_partners(self, partners):
        """Bring the assignments of these people in line with their current roles.

        Creates a cycle for every requirement of a current role that has no open,
        done or waived cycle, and cancels open cycles that no current role requires.
        Two roles needing the same requirement share one assignment."""
        if not partners:
            return self.browse()
        assignment_model = self.sudo()
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
            return self.browse()
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
        created = assignment_model._create_cycles(vals_list)
        created._enrol()
        return created

    @api.model
    def _create_cycles(self, vals_list):
        """Create new open cycles. Another transaction may open the same cycle at
        the same moment (two role changes for one person): the partial unique
        index refuses the second, and that cycle is skipped here, since the
        person has it already."""
        try:
            with self.env.cr.savepoint():
                return self.create(vals_list)
        except UniqueViolation as exc:
            if exc.diag.constraint_name != OPEN_UNIQUE_INDEX:
                raise
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= self.create(vals)
            except UniqueViolation as exc:
                if exc.diag.constraint_name != OPEN_UNIQUE_INDEX:
                    raise
                _logger.info(
                    "Training: open cycle of requirement %s for partner %s already created by another transaction",
                    vals["requirement_id"],
                    vals["partner_id"],
                )
        return created

    def _enrol(self):
        """Enrol the people in the courses of their new cycles. A course already
        finished counts for a first cycle; a refresher cycle of the same course
        starts it over, so that the retake is tracked by website_slides again."""
        courses = self.filtered("channel_id")
        for channel, assignments in courses.grouped("channel_id").items():
            channel.sudo()._action_add_members(assignments.partner_id)
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
        already_done = self.browse()
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

    # ------------------------------------------------------------------
    # Completion
    # ------------------------------------------------------------------
    @api.model
    def _on_courses_completed(self, enrolments):
        """website_slides finished these enrolments: their open cycles are done today."""
        open_assignments = self.sudo().search(
            [
                ("channel_id", "in", enrolments.channel_id.ids),
                ("partner_id", "in", enrolments.partner_id.ids),
                ("state", "in", OPEN_STATES),
            ]
        )
        pairs = {(enrolment.channel_id.id, enrolment.partner_id.id) for enrolment in enrolments}
        open_assignments.filtered(
            lambda assignment: (assignment.channel_id.id, assignment.partner_id.id) in pairs
        )._set_done(fields.Date.context_today(self), "course")

    def _set_done(self, date_done, how, **values):
        for requirement, assignments in self.grouped("requirement_id").items():
            expiry = date_done + relativedelta(months=requirement.valid_months) if requirement.valid_months else False
            assignments.write(
                {"state": "done", "date_done": date_done, "date_expiry": expiry, "done_how": how, **values}
            )
        self.env["ledd.onboarding.line"].sudo()._refresh_partners(self.partner_id)

    # ------------------------------------------------------------------
    # Staff actions
    # ------------------------------------------------------------------
    def _check_may_manage(self):
        """Waive, extend or confirm: Ledd managers everywhere, scoped users and
        leaders in their subtrees; nobody for themselves."""
        user = self.env.user
        if self.env.su:
            return
        is_manager = user._is_internal() and user.has_group("ledd_base.group_manager")
        scope = user.ledd_scope_subtree_unit_ids
        for assignment in self.sudo():
            if assignment.partner_id == user.partner_id:
                raise AccessError(self.env._("You cannot waive, extend or confirm your own training."))
            if not is_manager and assignment.unit_id not in scope:
                raise AccessError(
                    self.env._("%(assignment)s is outside the units you follow up.", assignment=assignment.display_name)
                )

    def _check_open(self):
        closed = self.filtered(lambda assignment: assignment.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Only due or overdue training can be changed: %(names)s",
                    names=", ".join(closed.mapped("display_name")),
                )
            )

    def _waive(self, reason):
        self._check_may_manage()
        self._check_open()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the training is waived."))
        self.sudo().write({"state": "waived", "waive_reason": reason, "waived_by_id": self.env.user.id})
        for assignment in self.sudo():
            assignment.message_post(body=self.env._("Waived: %(reason)s", reason=reason))

    def _extend(self, date_due):
        self._check_may_manage()
        self._check_open()
        today = fields.Date.context_today(self)
        if date_due < today:
            raise UserError(self.env._("The new due date cannot be in the past."))
        self.sudo().write({"date_due": date_due, "state": "due"})

    def _confirm(self, date_done, document=False, document_name=False, note=False):
        self._check_may_manage()
        self._check_open()
        if self.filtered(lambda assignment: assignment.kind != "attestation"):
            raise UserError(self.env._("Only attestations are confirmed by staff; courses are done by finishing them."))
        today = fields.Date.context_today(self)
        if date_done > today:
            raise UserError(self.env._("The date of the document cannot be in the future."))
        for assignment in self.sudo():
            months = assignment.requirement_id.valid_months
            if months and date_done + relativedelta(months=months) <= today:
                raise UserError(
                    self.env._(
                        "A document of %(date)s has already expired (valid for %(months)s months).",
                        date=date_done,
                        months=months,
                    )
                )
        self.sudo()._set_done(
            date_done,
            "document" if document else "confirmation",
            document=document,
            document_name=document_name,
            note=note,
            confirmed_by_id=self.env.user.id,
        )

    def _action_open_wizard(self, model, name):
        self._check_may_manage()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_assignment_ids": self.ids},
        }

    def action_waive(self):
        return self._action_open_wizard("ledd.training.waive.wizard", self.env._("Waive Training"))

    def action_extend(self):
        return self._action_open_wizard("ledd.training.extend.wizard", self.env._("Extend Due Date"))

    def action_confirm_attestation(self):
        return self._action_open_wizard("ledd.training.confirm.wizard", self.env._("Confirm Attestation"))

    # ------------------------------------------------------------------
    # States by date
    # ------------------------------------------------------------------
    @api.model
    def _update_states_by_date(self, batch_size=500):
        """Due → overdue when the due date has passed; done → expired when the
        validity has ended, opening the next cycle for people who still need it."""
        today = fields.Date.context_today(self)
        assignment_model = self.sudo()
        overdue = assignment_model.search([("state", "=", "due"), ("date_due", "<", today)])
        overdue.write({"state": "overdue"})
        expired = assignment_model.search([("state", "=", "done"), ("date_expiry", "<=", today)])
        expired.write({"state": "expired"})
        partners = expired.partner_id | self._partners_out_of_sync()
        done = 0
        for batch in tools.split_every(batch_size, partners.ids, self.env["res.partner"].browse):
            assignment_model._sync_partners(batch)
            done += len(batch)
            self._commit_batch(done, len(partners) - done)
        return len(overdue), len(expired)

    @api.model
    def _partners_out_of_sync(self):
        """People whose roles started or ended by date (the role cron recomputes
        is_current without writing), or whose role types got requirements."""
        self.env["ledd.role"].flush_model(["is_current", "partner_id", "role_type_id", "active"])
        self.flush_model(["partner_id", "requirement_id", "state", "role_id"])
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
