from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression

# What portal users read of the contacts of other people (the members of their units),
# whatever way they ask: the record rule lets them read those records, these fields
# keep the rest of the record (notes, tax id, reference, tags, bank accounts, ...) theirs.
LEDD_SHARED_PARTNER_FIELDS = frozenset(
    {
        # what the portal pages show of a person
        "id",
        "name",
        "display_name",
        "email",
        "phone",
        "mobile",
        "ledd_unit_id",
        "ledd_is_member",
        "image_128",
        "avatar_128",
        # what Odoo reads to show them: the display name, the avatar, the login state
        "complete_name",
        "commercial_company_name",
        "company_name",
        "parent_id",
        "commercial_partner_id",
        "is_company",
        "type",
        "user_ids",
        "create_date",
        "email_formatted",
        "email_normalized",
        # what searches filter and sort on
        "active",
        "company_id",
        "partner_share",
    }
)


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
    def check_field_access_rights(self, operation, field_names):
        """Portal users read only the shared fields of other people's contacts.

        The portal record rule lets a role holder read the members of their units,
        and every public ORM method (``read``, ``search_read``, ``web_read``,
        ``read_group``, domains, ``export_data``) asks here first. A call that
        names another field of such a contact, or searches or groups on one, is
        refused; a call that names no fields gets the shared ones."""
        checked = super().check_field_access_rights(operation, field_names)
        if operation != "read" or self.env.su or not self.env.user.share:
            return checked
        shared = self._ledd_shared_fields()
        hidden = [name for name in checked if name in self._fields and name not in shared]
        if not hidden or not self._ledd_fields_limited():
            return checked
        if not field_names:
            return [name for name in checked if name not in hidden]
        raise AccessError(
            self.env._(
                "You may read the name, contact details and unit of other people, not: %(fields)s",
                fields=", ".join(hidden),
            )
        )

    def _fetch_field(self, field):
        """Reading one field of contacts fetches its neighbours with it: for a
        portal user reading other people's contacts, only the shared ones (the
        others would be refused, and the asked field with them)."""
        if not self._ledd_fields_limited():
            return super()._fetch_field(field)
        self.check_field_access_rights("read", [field.name])
        shared = self._ledd_shared_fields()
        names = {field.name}
        if self.env.context.get("prefetch_fields", True) and field.prefetch:
            names.update(
                name
                for name, other in self._fields.items()
                if other.prefetch == field.prefetch and name in shared and other.is_accessible(self.env)
            )
        self.fetch(list(names))

    def _fetch_query(self, query, fields):
        """Fields fetched along the ones asked for (what a computed field depends
        on) stay in the database when a portal user reads other people's contacts:
        the asked ones passed ``check_field_access_rights``, these did not."""
        if fields and not self.env.su and self.env.user.share:
            shared = self._ledd_shared_fields()
            if any(field.name not in shared for field in fields) and self._ledd_fields_limited():
                fields = [field for field in fields if field.name in shared]
        return super()._fetch_query(query, fields)

    @api.model
    def _search_display_name(self, operator, value):
        """Portal users find people by the shared fields: Odoo also searches the
        tax id and the reference, which they may not search on."""
        if self.env.su or not self.env.user.share or (operator.endswith("like") and not value and "=" not in operator):
            return super()._search_display_name(operator, value)
        shared = self._ledd_shared_fields()
        aggregator = expression.AND if operator in expression.NEGATIVE_TERM_OPERATORS else expression.OR
        return aggregator([[(name, operator, value)] for name in self._rec_names_search if name in shared])

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """A portal user opens the chatter of their own contact only: the record
        rule lets them read the members of their units, not their correspondence."""
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        if thread and self.browse(thread.ids)._ledd_fields_limited():
            return self.browse()
        return thread

    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """The messages of other people's contacts: for a portal user, checked as
        a write on the contact, which they may not do (see ``_get_thread_with_access``)."""
        check = super()._get_mail_message_access(res_ids, operation, model_name=model_name)
        if model_name in (None, self._name) and self.browse(res_ids)._ledd_fields_limited():
            return "write"
        return check

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

    @api.model
    def _ledd_shared_fields(self):
        """The fields a portal user reads of other people's contacts. An addon whose
        portal pages show more of the members (e.g. their membership) adds its
        fields here."""
        return LEDD_SHARED_PARTNER_FIELDS

    def _ledd_fields_limited(self):
        """Whether the calling user reads only the shared fields of some of these
        contacts: a portal (or public) user outside sudo, and contacts other than
        their own, their company and its contacts (which Odoo's own rule gives
        them whole). Without records (a search, a grouping) nobody knows whose
        contacts come back: the shared fields only."""
        if self.env.su or not self.env.user.share:
            return False
        if not self:
            return True
        return bool(self._ledd_others())

    def _ledd_others(self):
        """These contacts less the calling user's own, their company and its
        contacts; new records (nothing stored yet) are nobody's."""
        me = self.env.user.partner_id
        stored = self.browse([id_ for id_ in self._ids if isinstance(id_, int)])
        # commercial_partner_id alone: prefetching the whole record under sudo
        # would put the hidden fields in the cache the user reads from
        theirs = stored.sudo().with_context(prefetch_fields=False)
        return stored.browse(
            partner.id
            for partner in theirs
            if partner.id != me.id and partner.commercial_partner_id != me.commercial_partner_id
        )
