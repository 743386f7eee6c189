from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    ledd_scope_unit_ids = fields.Many2many(
        "ledd.unit",
        string="Member Scope",
        compute="_compute_ledd_scope",
        compute_sudo=True,
        help="Units where the user holds a current role that sees members; the user "
        "sees the members of these units and of every unit below them.",
    )
    ledd_support_unit_ids = fields.Many2many(
        "ledd.unit",
        string="Support Scope",
        compute="_compute_ledd_scope",
        compute_sudo=True,
        help="Units where the user holds a current superuser role; the user may help "
        "people of these units and below them to log in.",
    )
    ledd_scope_subtree_unit_ids = fields.Many2many(
        "ledd.unit",
        string="Units in Member Scope",
        compute="_compute_ledd_scope",
        compute_sudo=True,
        help="Every unit in the member scope, sub-units included.",
    )

    def _compute_ledd_scope(self):
        """From the roles' dates, not their stored ``is_current``: a role gives and
        ends its rights on its dates, before the nightly cron has run."""
        role_model = self.env["ledd.role"].with_context(active_test=False)
        today = role_model._ledd_today()
        roles = role_model.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("grants_rights", "=", True),
                *role_model._current_on_date_domain(today),
            ]
        )
        unit_model = self.env["ledd.unit"].with_context(active_test=False)
        for user in self:
            user_roles = roles.filtered(lambda role, user=user: role.partner_id == user.partner_id)
            scope = user_roles.filtered("role_type_id.can_see_members").unit_id
            user.ledd_scope_unit_ids = scope
            user.ledd_support_unit_ids = user_roles.filtered("role_type_id.is_superuser").unit_id
            user.ledd_scope_subtree_unit_ids = (
                unit_model.search([("id", "child_of", scope.ids)]) if scope else unit_model
            )
