from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression


class LeddRole(models.Model):
    _name = "ledd.role"
    _description = "Role in a Unit"
    _inherit = ["mail.thread"]
    _order = "is_current desc, date_start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    unit_id = fields.Many2one(
        "ledd.unit",
        string="Unit",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The role gives its rights in this unit and in every unit below it.",
    )
    role_type_id = fields.Many2one(
        "ledd.role.type",
        string="Role",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=lambda self: self._ledd_today(),
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="First day without the role: from this day on it grants nothing. Leave empty while the role goes on.",
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        store=True,
        index=True,
        help="Held today: started, not ended and not archived. Updated at once when "
        "dates change and every night for roles that start or end by date. Rights "
        "follow the dates themselves, from the first moment of the day.",
    )
    grants_rights = fields.Boolean(related="role_type_id.grants_rights", store=True)
    user_ids = fields.One2many(related="partner_id.user_ids")
    active = fields.Boolean(
        default=True,
        help="Archive only roles entered by mistake: ended roles stay as history.",
    )

    @api.depends("date_start", "date_end", "active")
    def _compute_is_current(self):
        today = self._ledd_today()
        for role in self:
            role.is_current = bool(
                role.active
                and role.date_start
                and role.date_start <= today
                and (not role.date_end or role.date_end > today)
            )

    @api.depends("partner_id", "role_type_id", "unit_id")
    def _compute_display_name(self):
        for role in self:
            role.display_name = self.env._(
                "%(person)s, %(role)s in %(unit)s",
                person=role.partner_id.name,
                role=role.role_type_id.name,
                unit=role.unit_id.name,
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for role in self:
            if role.date_end and role.date_start and role.date_end < role.date_start:
                raise ValidationError(self.env._("A role cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        roles = super().create(vals_list)
        roles._check_may_manage_rights()
        self._invalidate_user_scopes()
        return roles

    def write(self, vals):
        self._check_may_manage_rights()
        res = super().write(vals)
        self._check_may_manage_rights()
        self._invalidate_user_scopes()
        return res

    def unlink(self):
        self._check_may_manage_rights()
        res = super().unlink()
        self._invalidate_user_scopes()
        return res

    def _check_may_manage_rights(self):
        """Only Ledd managers, or holders of a rights-granting role strictly above
        the unit, may give, change or end a role that grants rights; nobody may do
        it for themselves."""
        if self.env.su:
            return
        user = self.env.user
        is_manager = user.has_group("ledd_base.group_manager")
        for role in self.sudo().filtered("grants_rights"):
            if role.partner_id == user.partner_id:
                raise AccessError(self.env._("You cannot give, change or end a role that grants rights to yourself."))
            if is_manager:
                continue
            strict_ancestor_ids = [int(unit_id) for unit_id in role.unit_id.parent_path.split("/")[:-2]]
            if not strict_ancestor_ids or not self.sudo().search_count(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("grants_rights", "=", True),
                    ("unit_id", "in", strict_ancestor_ids),
                    *self._current_on_date_domain(self._ledd_today()),
                ],
                limit=1,
            ):
                raise AccessError(
                    self.env._(
                        "Only Ledd managers, or someone who holds a role with rights in a "
                        "unit above %(unit)s, may give, change or end the role %(role)s.",
                        unit=role.unit_id.complete_name,
                        role=role.role_type_id.name,
                    )
                )

    @api.model
    def _invalidate_user_scopes(self):
        """Roles changed: make every user's scope and record rules current again.

        ``ir.rule`` domains are cached per user in the registry cache, and the
        scope fields on res.users in the environment cache."""
        self.env.registry.clear_cache()
        self.env["res.users"].invalidate_model(
            ["ledd_scope_unit_ids", "ledd_support_unit_ids", "ledd_scope_subtree_unit_ids"]
        )

    @api.model
    def _ledd_today(self):
        """The day on which role dates give and end rights: today in UTC.

        Rights are decided from the dates against this day, never from the stored
        ``is_current`` (which waits for the nightly cron). It is one day for every
        user and worker: it keys the cached record rules (see ``ir.rule``), and the
        cron runs just after midnight UTC. Not the user's own timezone: a user may
        set it, and a client may send any timezone in its context, which would
        stretch an ended role by up to a day."""
        return fields.Date.today()

    @api.model
    def _current_on_date_domain(self, day):
        """Roles held on ``day``: the domain every rights decision uses."""
        return [
            ("active", "=", True),
            ("date_start", "<=", day),
            "|",
            ("date_end", "=", False),
            ("date_end", ">", day),
        ]

    @api.model
    def _cron_update_current(self):
        """Daily: store ``is_current`` of roles that started or ended by date since
        yesterday (lists, filters and figures read it; rights do not wait for it)."""
        today = self._ledd_today()
        should_be_current = expression.normalize_domain(self._current_on_date_domain(today))
        stale = self.with_context(active_test=False).search(
            expression.OR(
                [
                    expression.AND([[("is_current", "=", True)], ["!", *should_be_current]]),
                    expression.AND([[("is_current", "=", False)], should_be_current]),
                ]
            )
        )
        if stale:
            self.env.add_to_compute(self._fields["is_current"], stale)
            stale.flush_recordset(["is_current"])
            self._invalidate_user_scopes()
        return len(stale)

    def action_end_today(self):
        """End the role now: its rights go at once."""
        self.write({"date_end": self._ledd_today()})
        return True
