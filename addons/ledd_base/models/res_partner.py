from odoo import api, fields, models, tools


class ResPartner(models.Model):
    _inherit = "res.partner"

    ledd_unit_id = fields.Many2one(
        "ledd.unit",
        string="Home Unit",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The local branch (or other unit) the person belongs to. People who see "
        "the members of that unit or a unit above it can see and help this person.",
    )
    ledd_role_ids = fields.One2many("ledd.role", "partner_id", string="Roles")
    ledd_own_unit_ids = fields.One2many("ledd.unit", "partner_id", string="Unit of this Contact", readonly=True)
    ledd_is_member = fields.Boolean(
        string="Member Record",
        compute="_compute_ledd_is_member",
        store=True,
        index=True,
        help="A person outside the staff: seen only by those whose scope covers the "
        "home unit. Staff contacts, companies and units' own contacts are visible "
        "to every Ledd user.",
    )
    ledd_visible_to_all = fields.Boolean(
        compute="_compute_ledd_is_member",
        store=True,
        help="Staff contacts, companies and units' own contacts: readable across units.",
    )

    @api.depends("partner_share", "is_company", "ledd_own_unit_ids")
    def _compute_ledd_is_member(self):
        for partner in self:
            is_member = bool(partner.partner_share and not partner.is_company and not partner.ledd_own_unit_ids)
            partner.ledd_is_member = is_member
            partner.ledd_visible_to_all = not is_member

    def init(self):
        res = super().init()
        # Record rules OR "visible to all" with "home unit in scope": a partial
        # index keeps that OR a bitmap index scan instead of a sequential scan.
        tools.create_index(
            self.env.cr,
            "res_partner_ledd_visible_to_all_idx",
            self._table,
            ["id"],
            where="ledd_visible_to_all",
        )
        return res

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "ledd_unit_id" in fields_list and not values.get("ledd_unit_id"):
            user = self.env.user
            if not user._is_internal() or user.has_group("ledd_base.group_manager"):
                return values
            # A scoped user creates people in their own part of the tree.
            home = user.partner_id.ledd_unit_id
            scope = user.ledd_scope_subtree_unit_ids
            if home in scope:
                values["ledd_unit_id"] = home.id
            elif scope:
                values["ledd_unit_id"] = user.ledd_scope_unit_ids[:1].id
        return values
