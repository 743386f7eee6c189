from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError


class LeddOnboardingLine(models.Model):
    _name = "ledd.onboarding.line"
    _description = "Onboarding Checklist Line"
    _order = "partner_id, role_id, sequence, id"

    role_id = fields.Many2one("ledd.role", string="Role", required=True, index=True, ondelete="cascade", readonly=True)
    step_id = fields.Many2one(
        "ledd.onboarding.step", string="Step", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Person", required=True, index=True, readonly=True)
    unit_id = fields.Many2one("ledd.unit", string="Unit", index=True, readonly=True)
    role_is_current = fields.Boolean(related="role_id.is_current", string="Current Role")
    name = fields.Char(related="step_id.name")
    sequence = fields.Integer(related="step_id.sequence", store=True)
    check = fields.Selection(related="step_id.check")
    done = fields.Boolean(readonly=True, index=True)
    date_done = fields.Date(string="Done On", readonly=True)
    done_by_id = fields.Many2one("res.users", string="Ticked By", readonly=True)

    _sql_constraints = [
        ("role_step_unique", "UNIQUE(role_id, step_id)", "A role has each onboarding step once."),
    ]

    @api.model
    def _create_for_roles(self, roles):
        """Checklist lines for the steps of each role's type that it lacks."""
        if not roles:
            return self.browse()
        steps = self.env["ledd.onboarding.step"].sudo().search([("role_type_id", "in", roles.role_type_id.ids)])
        if not steps:
            return self.browse()
        existing = {
            (line.role_id.id, line.step_id.id)
            for line in self.sudo().search([("role_id", "in", roles.ids), ("step_id", "in", steps.ids)])
        }
        steps_by_type = steps.grouped("role_type_id")
        vals_list = [
            {"role_id": role.id, "step_id": step.id, "partner_id": role.partner_id.id, "unit_id": role.unit_id.id}
            for role in roles
            for step in steps_by_type.get(role.role_type_id, [])
            if (role.id, step.id) not in existing
        ]
        lines = self.sudo().create(vals_list)
        lines._refresh()
        return lines

    @api.model
    def _refresh_partners(self, partners):
        self.sudo().search([("partner_id", "in", partners.ids), ("done", "=", False)])._refresh()

    def _refresh(self):
        """Tick the automatic steps whose fact Odoo can see."""
        lines = self.sudo().filtered(lambda line: not line.done and line.check != "manual")
        if not lines:
            return
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", lines.partner_id.ids)])
        )
        with_access = users.filtered("active").partner_id
        logged_in = users.filtered(lambda user: user.active and user.login_date).partner_id
        trained = {
            (assignment.partner_id.id, assignment.requirement_id.id)
            for assignment in self.env["ledd.training.assignment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", lines.partner_id.ids),
                    ("requirement_id", "in", lines.step_id.requirement_id.ids),
                    ("state", "in", ("done", "waived")),
                ]
            )
        }
        today = fields.Date.context_today(self)
        lines.filtered(
            lambda line: (line.check == "portal_access" and line.partner_id in with_access)
            or (line.check == "first_login" and line.partner_id in logged_in)
            or (line.check == "training" and (line.partner_id.id, line.step_id.requirement_id.id) in trained)
        ).write({"done": True, "date_done": today})

    @api.model
    def _cron_refresh(self, batch_size=500):
        lines = self.sudo().search(
            [("done", "=", False), ("role_id.is_current", "=", True), ("step_id.check", "!=", "manual")]
        )
        for batch in tools.split_every(batch_size, lines.ids, self.sudo().browse):
            batch._refresh()
        return len(lines)

    def _check_may_tick(self):
        """Leaders and staff who follow up the unit tick steps; nobody for themselves."""
        user = self.env.user
        if self.env.su:
            return
        is_manager = user._is_internal() and user.has_group("ledd_base.group_manager")
        scope = user.ledd_scope_subtree_unit_ids
        for line in self.sudo():
            if line.partner_id == user.partner_id:
                raise AccessError(self.env._("You cannot tick your own onboarding steps."))
            if not is_manager and line.unit_id not in scope:
                raise AccessError(self.env._("This person's onboarding is followed up by another unit."))

    def action_tick(self):
        self._check_may_tick()
        if self.sudo().filtered(lambda line: line.check != "manual"):
            raise UserError(self.env._("Automatic steps are ticked when Odoo sees that they are done."))
        self.sudo().write({"done": True, "date_done": fields.Date.context_today(self), "done_by_id": self.env.user.id})
        return True

    def action_untick(self):
        self._check_may_tick()
        if self.sudo().filtered(lambda line: line.check != "manual"):
            raise UserError(self.env._("Automatic steps are ticked when Odoo sees that they are done."))
        self.sudo().write({"done": False, "date_done": False, "done_by_id": False})
        return True
