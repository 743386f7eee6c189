from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools

from .ledd_training_assignment import OPEN_STATES

# Which reminder a person gets when several of their items call for one.
REMINDER_URGENCY = {"overdue": 0, "due_soon": 1, "expiring": 2}
# Transaction cache key: the items of the batch being sent, by person.
PREPARED_ITEMS_KEY = "ledd_training_reminder_items"


class LeddTrainingReminder(models.AbstractModel):
    """Training reminders: one mail per person and period, the most urgent of
    due soon, overdue and expiring, listing all their mandatory items; and a
    digest per current leader role whose subtree has training to follow up.

    Sent by the daily cron of ``ledd.training.assignment``; the reminder
    templates list a person's items through the assignment they are sent
    about (``ledd.training.assignment._reminder_items``)."""

    _name = "ledd.training.reminder"
    _description = "Training Reminders"

    @api.model
    def _get_reminder_settings(self):
        params = self.env["ir.config_parameter"].sudo()

        def days(key, default, minimum):
            try:
                return max(int(params.get_param(key, default)), minimum)
            except (TypeError, ValueError):
                return default

        return {
            "period": days("ledd_training.reminder_period_days", 7, 1),
            "due_soon": days("ledd_training.reminder_due_soon_days", 14, 0),
            "expiring": days("ledd_training.reminder_expiring_days", 30, 0),
        }

    @api.model
    def _reminder_domain(self, today, settings):
        return [
            ("mandatory", "=", True),
            "|",
            "|",
            ("state", "=", "overdue"),
            "&",
            ("state", "=", "due"),
            ("date_due", "<=", today + relativedelta(days=settings["due_soon"])),
            "&",
            "&",
            "&",
            ("state", "=", "done"),
            ("role_id.is_current", "=", True),
            ("date_expiry", "!=", False),
            ("date_expiry", "<=", today + relativedelta(days=settings["expiring"])),
        ]

    @api.model
    def _reminder_kind(self, item):
        """The reminder an item calls for."""
        if item.state == "done":
            return "expiring"
        return "overdue" if item.state == "overdue" else "due_soon"

    @api.model
    def _is_reminder_item(self, item, today, settings):
        """Python twin of :meth:`_reminder_domain`, for one person's few records."""
        if not item.mandatory:
            return False
        if item.state == "overdue":
            return True
        if item.state == "due":
            return bool(item.date_due and item.date_due <= today + relativedelta(days=settings["due_soon"]))
        return bool(
            item.state == "done"
            and item.role_id.is_current
            and item.date_expiry
            and item.date_expiry <= today + relativedelta(days=settings["expiring"])
        )

    @api.model
    def _reminder_items(self, assignment):
        """Everything of the assignment's person the reminder mentions (for the
        templates, through the assignment). Runs once per mail: the cron hands
        over the items it read for the batch."""
        assignment.ensure_one()
        today = fields.Date.context_today(assignment)
        settings = self._get_reminder_settings()
        prepared = self.env.cr.cache.get(PREPARED_ITEMS_KEY, {}).get(assignment.partner_id.id)
        if prepared is not None:
            # Sending a batch: the cron already read every item of the batch.
            candidates = assignment.sudo().browse(prepared)
        else:
            candidates = assignment.sudo().search(
                [("partner_id", "=", assignment.partner_id.id), ("state", "in", ("due", "overdue", "done"))]
            )
        return candidates.filtered(lambda item: self._is_reminder_item(item, today, settings)).sorted(
            lambda item: (REMINDER_URGENCY[self._reminder_kind(item)], item.date_due or item.date_expiry, item.id)
        )

    @api.model
    def _send_reminders(self, batch_size=500):
        """One reminder per person and period: the most urgent of due soon,
        overdue and expiring, listing all their items. The reminder date is
        written in the same transaction as the queued mails, so that a run
        interrupted halfway sends the rest, and nothing twice, when it restarts."""
        today = fields.Date.context_today(self)
        settings = self._get_reminder_settings()
        assignment_model = self.env["ledd.training.assignment"].sudo()
        domain = self._reminder_domain(today, settings)
        recent = assignment_model._read_group(
            [("last_reminder_date", ">", today - relativedelta(days=settings["period"]))], ["partner_id"]
        )
        partner_ids = [
            partner.id
            for [partner] in assignment_model._read_group(
                [
                    *domain,
                    ("partner_id.email", "!=", False),
                    ("partner_id", "not in", [partner.id for [partner] in recent]),
                ],
                ["partner_id"],
                order="partner_id",
            )
        ]
        templates = {
            kind: self.env.ref(f"ledd_training.mail_template_reminder_{kind}").sudo() for kind in REMINDER_URGENCY
        }
        done = 0
        for batch_ids in tools.split_every(batch_size, partner_ids, list):
            with self.env.cr.savepoint():
                items = assignment_model.search([*domain, ("partner_id", "in", batch_ids)])
                leads = defaultdict(list)
                for person_items in items.grouped("partner_id").values():
                    lead = min(
                        person_items,
                        key=lambda item: (
                            REMINDER_URGENCY[self._reminder_kind(item)],
                            item.date_due or item.date_expiry,
                            item.id,
                        ),
                    )
                    leads[self._reminder_kind(lead)].append(lead.id)
                items.write({"last_reminder_date": today})
                self.env.cr.cache[PREPARED_ITEMS_KEY] = {
                    partner.id: person_items.ids for partner, person_items in items.grouped("partner_id").items()
                }
                try:
                    for kind, lead_ids in leads.items():
                        templates[kind].send_mail_batch(lead_ids, force_send=False)
                finally:
                    self.env.cr.cache.pop(PREPARED_ITEMS_KEY, None)
            done += len(batch_ids)
            assignment_model._commit_batch(done, len(partner_ids) - done)
        return done

    @api.model
    def _send_leader_digests(self, batch_size=500):
        """A digest per current leader role whose subtree has training to follow up,
        at most once per reminder period."""
        today = fields.Date.context_today(self)
        settings = self._get_reminder_settings()
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("is_current", "=", True),
                    ("role_type_id.is_leader", "=", True),
                    ("partner_id.email", "!=", False),
                    "|",
                    ("ledd_training_last_digest_date", "=", False),
                    ("ledd_training_last_digest_date", "<=", today - relativedelta(days=settings["period"])),
                ],
                order="id",
            )
        )
        if not roles:
            return 0
        assignment_model = self.env["ledd.training.assignment"].sudo()
        busy_units = [
            unit
            for [unit] in assignment_model._read_group(
                [("state", "in", OPEN_STATES), ("mandatory", "=", True), ("unit_id", "!=", False)], ["unit_id"]
            )
        ]
        busy_paths = [unit.parent_path for unit in busy_units]
        roles = roles.filtered(lambda role: any(path.startswith(role.unit_id.parent_path) for path in busy_paths))
        template = self.env.ref("ledd_training.mail_template_leader_digest").sudo()
        done = 0
        for batch in tools.split_every(batch_size, roles.ids, roles.browse):
            with self.env.cr.savepoint():
                batch.write({"ledd_training_last_digest_date": today})
                template.send_mail_batch(batch.ids, force_send=False)
            done += len(batch)
            assignment_model._commit_batch(done, len(roles) - done)
        return done
