from odoo import fields, models


class LeddRoleType(models.Model):
    _inherit = "ledd.role.type"

    training_requirement_ids = fields.One2many("ledd.training.requirement", "role_type_id", string="Required Training")
    onboarding_step_ids = fields.One2many("ledd.onboarding.step", "role_type_id", string="Onboarding Steps")
