from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Where a unit sits in the tree and which contact is its own: they decide whose
# members a role covers and which contact every Ledd user may read.
MANAGER_ONLY_FIELDS = ("partner_id", "parent_id", "type_id", "code", "active")


class LeddUnit(models.Model):
    _name = "ledd.unit"
    _description = "Organisation Unit"
    _inherit = ["mail.thread"]
    _parent_store = True
    _parent_name = "parent_id"
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=False, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Unique short code of the unit, e.g. the municipality number of a local "
        "branch. Imports and integrations find the unit by it.",
    )
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True, index=True)
    type_id = fields.Many2one(
        "ledd.unit.type",
        string="Level",
        required=True,
        ondelete="restrict",
        tracking=True,
        help="Level of the unit in the organisation: national office, region, local branch or group.",
    )
    parent_id = fields.Many2one(
        "ledd.unit",
        string="Parent Unit",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The unit directly above this one. Empty for the top of the organisation.",
    )
    child_ids = fields.One2many("ledd.unit", "parent_id", string="Sub-units")
    parent_path = fields.Char(index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Unit Contact",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain=[("is_company", "=", True)],
        context={"default_is_company": True},
        help="The unit's own contact: address, email and phone of the unit itself, "
        "readable by every Ledd user; a company contact, never a person. Created "
        "with the unit when left empty.",
    )
    email = fields.Char(related="partner_id.email", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    role_ids = fields.One2many("ledd.role", "unit_id", string="Roles")
    current_role_ids = fields.One2many(
        "ledd.role",
        "unit_id",
        string="Current Holders",
        domain=[("is_current", "=", True)],
    )
    past_role_ids = fields.One2many(
        "ledd.role",
        "unit_id",
        string="Past Holders",
        domain=[("is_current", "=", False)],
    )
    member_count = fields.Integer(
        compute="_compute_member_count",
        help="People whose home unit is this unit or a unit below it.",
    )
    child_count = fields.Integer(compute="_compute_child_count", string="Sub-unit Count")
    active = fields.Boolean(default=True, tracking=True)
    may_change_structure = fields.Boolean(
        compute="_compute_may_change_structure",
        help="Ledd managers change a unit's contact, parent, level, code and archive state.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another unit already has this code."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for unit in self:
            if unit.parent_id:
                unit.complete_name = f"{unit.parent_id.complete_name} / {unit.name}"
            else:
                unit.complete_name = unit.name

    def _compute_member_count(self):
        # _origin: a form's onchange computes on a copy of the unit with a new id
        partner_model = self.env["res.partner"]
        for unit in self:
            unit.member_count = (
                partner_model.search_count(
                    [("ledd_unit_id", "child_of", unit._origin.id), ("ledd_is_member", "=", True)]
                )
                if unit._origin.id
                else 0
            )

    def _compute_child_count(self):
        counts = dict(
            self.env["ledd.unit"]._read_group([("parent_id", "in", self._origin.ids)], ["parent_id"], ["__count"])
        )
        for unit in self:
            unit.child_count = counts.get(unit._origin, 0)

    @api.depends_context("uid")
    def _compute_may_change_structure(self):
        may_change = self._ledd_may_change_structure()
        for unit in self:
            unit.may_change_structure = may_change

    @api.constrains("partner_id")
    def _check_partner_id(self):
        """A unit's contact is readable by every Ledd user and takes a person out
        of the member lists: a person there would be exposed to the whole
        organisation. Checked for managers and sudo alike."""
        for unit in self.sudo():
            if not unit.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a person, so they cannot be the contact of the unit %(unit)s. "
                        "Choose the unit's own company contact (its address, email and phone).",
                        contact=unit.partner_id.display_name,
                        unit=unit.complete_name or unit.name,
                    )
                )

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A unit cannot be placed below itself or below one of its sub-units."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].sudo().create({"name": vals.get("name"), "is_company": True}).id
                )
        units = super().create(vals_list)
        for unit in units:
            if not unit.partner_id.sudo().ledd_unit_id:
                unit.partner_id.sudo().ledd_unit_id = unit
        self.env["ledd.role"]._invalidate_user_scopes()
        return units

    def write(self, vals):
        self._check_may_change_structure(vals)
        res = super().write(vals)
        if "parent_id" in vals or "active" in vals:
            # Subtrees moved: the expanded scopes cached in record rules are stale.
            self.env["ledd.role"]._invalidate_user_scopes()
        return res

    def _ledd_may_change_structure(self):
        return self.env.su or self.env.user.has_group("ledd_base.group_manager")

    def _check_may_change_structure(self, vals):
        """Only Ledd managers change a unit's contact, parent, level, code or
        archive state; scoped staff keep editing the rest of their units.

        Record rules cannot restrict fields, so the check sits on every write,
        from a form or over RPC. Values sent unchanged (a form or an import that
        sends the whole record) are no change."""
        if self._ledd_may_change_structure():
            return
        changed = [name for name in MANAGER_ONLY_FIELDS if name in vals and self._ledd_value_changes(name, vals[name])]
        if changed:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in changed)
            raise AccessError(
                self.env._(
                    "Only Ledd managers may change these fields of a unit: %(fields)s.",
                    fields=labels,
                )
            )

    def _ledd_value_changes(self, field_name, value):
        """Whether writing ``value`` into ``field_name`` changes any unit of self.
        A value that cannot be read as the field's type counts as a change."""
        field = self._fields[field_name]
        for unit in self.sudo():
            try:
                new_value = field.convert_to_record(field.convert_to_cache(value, unit), unit)
            except (TypeError, ValueError):
                return True
            if new_value != unit[field_name]:
                return True
        return False

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("contacts.action_contacts")
        action.update(
            {
                "name": self.env._("Members of %(unit)s", unit=self.name),
                "domain": [("ledd_unit_id", "child_of", self.id), ("ledd_is_member", "=", True)],
                "context": {"default_ledd_unit_id": self.id},
            }
        )
        return action

    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_base.ledd_unit_action")
        action.update({"domain": [("parent_id", "=", self.id)], "context": {"default_parent_id": self.id}})
        return action

    def action_view_roles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_base.ledd_role_action")
        action.update(
            {
                "domain": [("unit_id", "child_of", self.id)],
                "context": {"default_unit_id": self.id, "active_test": False},
            }
        )
        return action

    def _get_help_contacts(self):
        """Current leaders and superusers to ask for help, from this unit up.

        Returns the ``ledd.role`` records of the nearest unit (this one, else the
        closest ancestor) that has at least one current leader or superuser.
        Read with sudo: a member may see who helps them, not the unit's roles.
        """
        self.ensure_one()
        ancestor_ids = [int(unit_id) for unit_id in self.sudo().parent_path.split("/")[:-1]]
        role_model = self.env["ledd.role"]
        roles = role_model.sudo().search(
            [
                ("unit_id", "in", ancestor_ids),
                *role_model._current_on_date_domain(role_model._ledd_today()),
                "|",
                ("role_type_id.is_leader", "=", True),
                ("role_type_id.is_superuser", "=", True),
            ]
        )
        for unit_id in reversed(ancestor_ids):
            nearest = roles.filtered(lambda role, unit_id=unit_id: role.unit_id.id == unit_id)
            if nearest:
                return nearest.sorted(lambda role: (not role.role_type_id.is_leader, role.partner_id.name))
        return roles.browse()
