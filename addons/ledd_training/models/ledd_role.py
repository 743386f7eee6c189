from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .ledd_training_assignment import OPEN_STATES

# Role fields that change which training a person needs.
TRAINING_FIELDS = {"partner_id", "unit_id", "role_type_id", "date_start", "date_end", "active"}


class LeddRole(models.Model):
    _inherit = "ledd.role"

    ledd_training_last_digest_date = fields.Date(
        string="Last Training Digest",
        readonly=True,
        help="When the holder of this leader role last got the training digest of the unit.",
    )
    onboarding_line_ids = fields.One2many("ledd.onboarding.line", "role_id", string="Onboarding Checklist")

    @api.model_create_multi
    def create(self, vals_list):
        roles = super().create(vals_list)
        self.env["ledd.onboarding.line"]._create_for_roles(roles)
        self.env["ledd.training.sync"]._sync_partners(roles.partner_id)
        return roles

    def write(self, vals):
        partners_before = self.partner_id
        res = super().write(vals)
        if TRAINING_FIELDS & set(vals):
            if "role_type_id" in vals:
                # The old type's steps no longer apply; those already done stay as history.
                self.env["ledd.onboarding.line"].sudo().search(
                    [
                        ("role_id", "in", self.ids),
                        ("done", "=", False),
                        ("step_id.role_type_id", "!=", vals["role_type_id"]),
                    ]
                ).unlink()
                self.env["ledd.onboarding.line"]._create_for_roles(self)
            if "unit_id" in vals:
                lines = self.env["ledd.onboarding.line"].sudo().search([("role_id", "in", self.ids)])
                for role in self:
                    lines.filtered(lambda line, role=role: line.role_id == role).unit_id = role.unit_id
            self.env["ledd.training.sync"]._sync_partners(partners_before | self.partner_id)
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        self.env["ledd.training.sync"]._sync_partners(partners)
        return res

    def _ledd_training_digest(self):
        """Figures of the role's unit and everything below it, for the leader digest."""
        self.ensure_one()
        assignments = self.env["ledd.training.assignment"].sudo()
        settings = self.env["ledd.training.reminder"]._get_reminder_settings()
        today = fields.Date.context_today(self)
        domain = [("unit_id", "child_of", self.unit_id.id), ("mandatory", "=", True)]
        counts = dict(assignments._read_group([*domain, ("state", "in", OPEN_STATES)], ["state"], ["__count"]))
        return {
            "overdue_count": counts.get("overdue", 0),
            "due_count": counts.get("due", 0),
            "expiring_count": assignments.search_count(
                [
                    *domain,
                    ("state", "=", "done"),
                    ("date_expiry", "!=", False),
                    ("date_expiry", "<=", today + relativedelta(days=settings["expiring"])),
                ]
            ),
            "overdue": assignments.search([*domain, ("state", "=", "overdue")], limit=20, order="date_due, id"),
        }
