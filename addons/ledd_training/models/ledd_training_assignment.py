import logging
import threading

from dateutil.relativedelta import relativedelta

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

    def _reminder_items(self):
        """Everything of this person the reminder mentions: the entry point of
        the reminder templates (see ``ledd.training.reminder``)."""
        return self.env["ledd.training.reminder"]._reminder_items(self)

    # ------------------------------------------------------------------
    # The daily cron
    # ------------------------------------------------------------------
    @api.model
    def _commit_batch(self, done, remaining):
        """Report progress to the cron runner and keep the finished batch."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        # Batched cron: a finished batch (states, reminder marks and their queued
        # mails, in one transaction) stays done if a later batch fails. Tests run
        # in one transaction that must never be committed.
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _cron_daily(self, batch_size=500):
        """Daily: states by date, onboarding facts, reminders and leader digests."""
        overdue, expired = self.env["ledd.training.sync"]._update_states_by_date(batch_size)
        self._commit_batch(0, 0)
        self.env["ledd.onboarding.line"]._cron_refresh(batch_size)
        self._commit_batch(0, 0)
        reminder = self.env["ledd.training.reminder"]
        reminded = reminder._send_reminders(batch_size)
        digests = reminder._send_leader_digests(batch_size)
        _logger.info(
            "Training: %s overdue, %s expired, %s people reminded, %s leader digests",
            overdue,
            expired,
            reminded,
            digests,
        )
