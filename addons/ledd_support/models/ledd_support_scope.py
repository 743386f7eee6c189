from odoo import api, models


class LeddSupportScope(models.AbstractModel):
    """Who may help whom with delegated login support: the calling user's
    support and leader scope, and the anti-escalation rules.

    One answer for every front end: the service's actions and the login doctor
    (through ``ledd.support.service``, which checks before it acts or asks the
    doctor), and the portal's list and page of people. Refusals are answered
    as ``(code, message)``, never raised."""

    _name = "ledd.support.scope"
    _description = "Login Support Scope"

    @api.model
    def _ledd_is_manager(self, user):
        return user._is_internal() and user.has_group("ledd_base.group_manager")

    @api.model
    def _ledd_strictly_below(self, unit, roots, strict=True):
        """True if ``unit`` lies below one of ``roots`` (or is one, when not strict)."""
        path = unit.sudo().parent_path or ""
        for root in roots.sudo():
            if path.startswith(root.parent_path) and (not strict or unit != root):
                return True
        return False

    @api.model
    def _ledd_target(self, partner_id):
        try:
            partner_id = int(partner_id)
        except (TypeError, ValueError):
            return self.env["res.partner"].sudo()
        return self.env["res.partner"].sudo().browse(partner_id).exists()

    @api.model
    def _ledd_current_role_domain(self):
        """Roles held today by their dates: a role ended by date grants and
        protects nothing from that day on, before the nightly cron updates the
        stored ``is_current`` flag."""
        roles = self.env["ledd.role"]
        return roles._current_on_date_domain(roles._ledd_today())

    @api.model
    def _ledd_leader_units(self, user):
        """Units where ``user`` holds a current leader role."""
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("role_type_id.is_leader", "=", True),
                    *self._ledd_current_role_domain(),
                ]
            )
        )
        return roles.unit_id

    @api.model
    def _ledd_not_found(self):
        """The one refusal for an id that does not exist and for a person
        outside the caller's support or leader scope: nothing tells them apart."""
        return "not_found", self.env._("This person was not found among the people you can help.")

    @api.model
    def _ledd_check_scope(self, partner):
        """Refusal ``(code, message)`` if the calling user may not help
        ``partner`` (sudo record), else None.

        Ordered so that nothing about the person leaks before the scope check:
        first what depends on the caller alone (no support or leader role: the
        same answer for every id), then whether the person exists and lies in
        the caller's support or leader subtree (outside it: the answer of an id
        that does not exist), and only then what kind of account the person has
        and which roles they hold."""
        return self._ledd_check_coverage(partner) or self._ledd_check_person(partner)

    @api.model
    def _ledd_check_coverage(self, partner):
        """The caller's side of the scope check: they hold a support or leader
        role, and the person exists within its subtree."""
        _ = self.env._
        actor = self.env.user
        manager = self._ledd_is_manager(actor)
        roots = self.env["ledd.unit"] if manager else actor.ledd_support_unit_ids | self._ledd_leader_units(actor)
        if not manager and not roots:
            return "no_support_role", _("You hold no superuser role, so you cannot help others log in.")
        if not partner or not partner.active:
            return self._ledd_not_found()
        if partner == actor.partner_id:
            return "self", _("You cannot use the login support tools on yourself. Ask someone above you for help.")
        if manager or (partner.ledd_unit_id and self._ledd_strictly_below(partner.ledd_unit_id, roots, strict=False)):
            return None
        return self._ledd_not_found()

    @api.model
    def _ledd_check_person(self, partner):
        """The person's side, once they are known to be in the caller's
        subtree: their accounts, whether they are a member, and their roles."""
        refusal = self._ledd_check_accounts(partner.with_context(active_test=False).user_ids)
        if refusal:
            return refusal
        if not partner.ledd_is_member:
            return "not_a_member", self.env._("This contact is not a person of the organisation.")
        return self._ledd_check_rights(partner)

    @api.model
    def _ledd_check_accounts(self, users):
        """Refusal ``(code, message)`` if one of the person's accounts is an
        administrator, staff or a technical account (public user, portal
        template), else None. Nobody helps those through these tools."""
        _ = self.env._
        if any(user._is_admin() for user in users):
            return "admin", _("This person is an administrator: only the national office can help them.")
        if any(not user.share for user in users):
            return "internal_user", _("This person is a staff user: only the national office can help them.")
        technical = self.env.ref("base.public_user", raise_if_not_found=False) | self.env.ref(
            "base.template_portal_user_id", raise_if_not_found=False
        )
        if any(user._is_public() or user in technical for user in users):
            return "technical_account", _("This is a technical account of the system: nobody logs in with it.")
        return None

    @api.model
    def _ledd_check_rights(self, partner):
        """Refusal ``(code, message)`` unless the calling user's support roots
        cover ``partner`` and outrank every rights-granting role they hold
        today (by the roles' dates)."""
        _ = self.env._
        actor = self.env.user
        if self._ledd_is_manager(actor):
            return None
        roots = actor.ledd_support_unit_ids
        if not roots or not self._ledd_strictly_below(partner.ledd_unit_id, roots, strict=False):
            # A leader of the person's unit, without a superuser role over them.
            return "no_support_role", _("You hold no superuser role, so you cannot help others log in.")
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("grants_rights", "=", True),
                    *self._ledd_current_role_domain(),
                ]
            )
        )
        for role in roles:
            if not self._ledd_strictly_below(role.unit_id, roots):
                return "higher_role", _(
                    "This person holds the role %(role)s in %(unit)s, which you do not outrank. "
                    "Ask a superuser above that unit.",
                    role=role.role_type_id.name,
                    unit=role.unit_id.complete_name,
                )
        return None

    @api.model
    def _ledd_may_help(self, partner_id):
        """The person (sudo) if the calling user may help them, else empty."""
        partner = self._ledd_target(partner_id)
        if not partner or self._ledd_check_scope(partner):
            return partner.browse()
        return partner

    @api.model
    def _ledd_support_domain(self):
        """Domain of the people the calling user may look up in the login
        support tools, or [] if they may look up nobody: the members of their
        support subtrees, less those holding a rights-granting role that does
        not lie strictly below a support root (peers, leaders), as the
        anti-escalation check refuses them."""
        actor = self.env.user
        base = [("ledd_is_member", "=", True), ("id", "!=", actor.partner_id.id)]
        if self._ledd_is_manager(actor):
            return base
        roots = actor.ledd_support_unit_ids
        if not roots:
            return []
        # Holders of rights-granting roles are few: their ids are read here, with
        # sudo, because the caller searches people as themselves and may not read
        # other people's roles (a subquery on roles would see none of them).
        not_outranked = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("partner_id.ledd_unit_id", "child_of", roots.ids),
                    ("grants_rights", "=", True),
                    *self._ledd_current_role_domain(),
                    "!",
                    # the role's unit lies strictly below a root: its parent is in a root's subtree
                    ("unit_id.parent_id", "any", [("id", "child_of", roots.ids)]),
                ]
            )
        )
        return base + [("ledd_unit_id", "child_of", roots.ids), ("id", "not in", not_outranked.partner_id.ids)]
