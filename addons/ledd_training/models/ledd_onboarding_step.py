from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LeddOnboardingStep(models.Model):
    _name = "ledd.onboarding.step"
    _description = "Onboarding Step"
    _order = "role_type_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    role_type_id = fields.Many2one("ledd.role.type", string="Role", required=True, index=True, ondelete="cascade")
    check = fields.Selection(
        [
            ("manual", "Ticked by a leader"),
            ("portal_access", "Portal access granted"),
            ("first_login", "First login"),
            ("training", "Training done"),
        ],
        string="Done When",
        required=True,
        default="manual",
        help="Automatic steps are ticked as soon as Odoo sees the fact; the others by the person's leader or by staff.",
    )
    requirement_id = fields.Many2one(
        "ledd.training.requirement",
        string="Training",
        ondelete="cascade",
        domain="[('role_type_id', '=', role_type_id)]",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    @api.constrains("check", "requirement_id")
    def _check_requirement(self):
        for step in self:
            if step.check == "training" and not step.requirement_id:
                raise ValidationError(self.env._("A training step needs the training it waits for."))

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search([("role_type_id", "in", steps.role_type_id.ids), ("is_current", "=", True)])
        )
        self.env["ledd.onboarding.line"]._create_for_roles(roles)
        return steps
