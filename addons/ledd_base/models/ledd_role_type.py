from odoo import api, fields, models


class LeddRoleType(models.Model):
    _name = "ledd.role.type"
    _description = "Role Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code other addons refer to.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    can_see_members = fields.Boolean(
        string="Sees Members",
        help="Holders see and maintain the members of the unit where they hold the role and of every unit below it.",
    )
    is_superuser = fields.Boolean(
        string="Superuser",
        help="Holders may help people in the unit and below it to log in (delegated login support).",
    )
    is_leader = fields.Boolean(
        string="Leader",
        help="Holders lead the unit: they are shown as contacts for help and receive the unit's digests.",
    )
    grants_rights = fields.Boolean(
        compute="_compute_grants_rights",
        store=True,
        help="Sees members or is a superuser: only Ledd managers, or holders of such "
        "a role above the unit, may give or end it.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each role type needs its own code."),
    ]

    @api.depends("can_see_members", "is_superuser")
    def _compute_grants_rights(self):
        for role_type in self:
            role_type.grants_rights = role_type.can_see_members or role_type.is_superuser

    def write(self, vals):
        res = super().write(vals)
        if {"can_see_members", "is_superuser"} & set(vals):
            # Rights of every holder change: record rules must be evaluated again.
            self.env["ledd.role"]._invalidate_user_scopes()
        return res
