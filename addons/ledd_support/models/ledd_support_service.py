import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.http import request
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Classes of the two-integer advisory locks taken around a rate-limit count.
LOCK_CLASS_ACTOR = 0x1EDD01
LOCK_CLASS_TARGET = 0x1EDD02
DEFAULT_ACTOR_LIMIT = 30
DEFAULT_TARGET_LIMIT = 5
DEFAULT_WINDOW_MINUTES = 60
MIN_REASON_LENGTH = 5
# The public "Trouble logging in?" page mails one person at most this often.
HELP_CONTACTS_QUIET_MINUTES = 10


class LeddSupportService(models.AbstractModel):
    """Delegated login support: one implementation for the backend wizard and
    the portal. Every public method checks the calling user's scope, the
    anti-escalation rules, its input and the rate limits, then acts with sudo,
    and answers ``{'ok', 'code', 'message'}``; it never raises on a refusal.
    Every call leaves a row in ``ledd.support.log`` in the same transaction."""

    _name = "ledd.support.service"
    _description = "Login Support Service"

    # ------------------------------------------------------------------
    # Scope and anti-escalation
    # ------------------------------------------------------------------
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
    def _ledd_check_scope(self, partner):
        """Refusal ``(code, message)`` if the calling user may not help
        ``partner`` (sudo record), else None."""
        _ = self.env._
        actor = self.env.user
        if not partner or not partner.active:
            return "not_found", _("This person was not found.")
        if partner == actor.partner_id:
            return "self", _("You cannot use the login support tools on yourself. Ask someone above you for help.")
        refusal = self._ledd_check_accounts(partner.with_context(active_test=False).user_ids)
        if refusal:
            return refusal
        if not partner.ledd_is_member:
            return "not_a_member", _("This contact is not a person of the organisation.")
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
        cover ``partner`` and outrank every rights-granting role they hold."""
        _ = self.env._
        actor = self.env.user
        if self._ledd_is_manager(actor):
            return None
        roots = actor.ledd_support_unit_ids
        if not roots:
            return "no_support_role", _("You hold no superuser role, so you cannot help others log in.")
        if not partner.ledd_unit_id or not self._ledd_strictly_below(partner.ledd_unit_id, roots, strict=False):
            return "out_of_scope", _("This person belongs to a unit outside the units you support.")
        roles = (
            self.env["ledd.role"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("is_current", "=", True), ("grants_rights", "=", True)])
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
        support tools, or [] if they may look up nobody."""
        actor = self.env.user
        base = [("ledd_is_member", "=", True), ("id", "!=", actor.partner_id.id)]
        if self._ledd_is_manager(actor):
            return base
        roots = actor.ledd_support_unit_ids
        if not roots:
            return []
        return base + [("ledd_unit_id", "child_of", roots.ids)]

    @api.model
    def _ledd_send_help_contacts(self, email):
        """Mail the people who can help to the person with this email (public
        "Trouble logging in?" page). Sends nothing if the email is unknown,
        nor twice within a few minutes to the same person."""
        partner = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", email), ("ledd_unit_id", "!=", False)], order="id", limit=1)
        )
        if not partner or not self._ledd_touch(f"help-{partner.id}", HELP_CONTACTS_QUIET_MINUTES):
            return False
        roles = partner.ledd_unit_id._get_help_contacts()
        contacts = [
            {
                "name": role.partner_id.name,
                "role": role.role_type_id.name,
                "unit": role.unit_id.name,
                "email": role.partner_id.email or "",
                "phone": role.partner_id.phone or "",
            }
            for role in roles
        ]
        self._ledd_queue_mail("ledd_support.mail_template_help_contacts", partner, email, {"contacts": contacts})
        return True

    # ------------------------------------------------------------------
    # Rate limits
    # ------------------------------------------------------------------
    @api.model
    def _ledd_touch(self, key, quiet_minutes):
        """Mark ``key`` as used now, unless it was used in the last
        ``quiet_minutes``: True if marked. Keeps the public page from
        flooding a person's inbox."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ledd_support_rate_touch (key, touched) VALUES (%(key)s, %(now)s)
                ON CONFLICT (key) DO UPDATE SET touched = EXCLUDED.touched
                 WHERE ledd_support_rate_touch.touched < %(since)s
                RETURNING key
                """,
                key=key,
                now=now,
                since=now - timedelta(minutes=quiet_minutes),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _ledd_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"ledd_support.{key}")
        try:
            return max(int(value), 0) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _ledd_count_recent(self, field, record_id, lock_class, key):
        """Log rows of one actor or one target in the sliding window.

        The advisory lock makes parallel workers count one after the other;
        touching a row per key makes a worker whose snapshot predates the
        other's commit fail with a serialization error, and Odoo retries its
        request on a fresh snapshot that sees the other's row."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", lock_class, record_id))
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                """
                INSERT INTO ledd_support_rate_touch (key, touched) VALUES (%s, %s)
                ON CONFLICT (key) DO UPDATE SET touched = EXCLUDED.touched
                """,
                key,
                now,
            )
        )
        window = self._ledd_param("rate_limit_window_minutes", DEFAULT_WINDOW_MINUTES)
        log = self.env["ledd.support.log"].sudo()
        log.flush_model()
        return log.search_count(
            [
                (field, "=", record_id),
                ("create_date", ">=", now - timedelta(minutes=window)),
                ("code", "!=", "rate_limited"),
            ]
        ), window

    @api.model
    def _ledd_check_actor_rate(self):
        """Refusal ``(code, message)`` once the calling user is past their
        limit, whatever they try (out-of-scope probing counts too), else None."""
        limit = self._ledd_param("rate_limit_per_actor", DEFAULT_ACTOR_LIMIT)
        if not limit:
            return None
        actor = self.env.user
        count, window = self._ledd_count_recent("actor_id", actor.id, LOCK_CLASS_ACTOR, f"actor-{actor.id}")
        if count >= limit:
            return "rate_limited", self.env._(
                "You have used the login support tools %(count)s times in the last %(minutes)s minutes. "
                "Please wait a while and try again.",
                count=limit,
                minutes=window,
            )
        return None

    @api.model
    def _ledd_check_target_rate(self, partner):
        """Refusal ``(code, message)`` once the person was helped too often, else None."""
        limit = self._ledd_param("rate_limit_per_target", DEFAULT_TARGET_LIMIT)
        if not limit:
            return None
        count, window = self._ledd_count_recent(
            "target_partner_id", partner.id, LOCK_CLASS_TARGET, f"target-{partner.id}"
        )
        if count >= limit:
            return "rate_limited", self.env._(
                "This person has been helped %(count)s times in the last %(minutes)s minutes. "
                "Please wait a while before trying again.",
                count=limit,
                minutes=window,
            )
        return None

    # ------------------------------------------------------------------
    # Log and the common frame of every action
    # ------------------------------------------------------------------
    @api.model
    def _ledd_log(self, action, partner, outcome, code, message, reason=""):
        actor = self.env.user
        user = partner.with_context(active_test=False).user_ids[:1] if partner else self.env["res.users"]
        remote_addr = request.httprequest.remote_addr if request else False
        channel = self.env.context.get("ledd_support_channel") or "other"
        return (
            self.env["ledd.support.log"]
            .sudo()
            .create(
                {
                    "actor_id": actor.id,
                    "actor_name": actor.name,
                    "target_partner_id": partner.id if partner else False,
                    "target_name": partner.name if partner else False,
                    "target_user_id": user.id,
                    "target_unit_id": partner.ledd_unit_id.id if partner else False,
                    "action": action,
                    "outcome": outcome,
                    "code": code,
                    "reason": (reason or "").strip()[:2000] or False,
                    "detail": message,
                    "remote_addr": remote_addr,
                    "channel": channel,
                }
            )
        )

    @api.model
    def _ledd_run(self, action, partner_id, reason, check, perform):
        """Check, act and log one delegated action.

        ``check(partner)`` returns a refusal ``(code, message)`` or None;
        ``perform(partner)`` acts (with sudo) and returns ``(code, message)``.
        Anything ``perform`` raises rolls back to a savepoint, so that a failed
        action leaves nothing behind but its log row."""
        partner = self._ledd_target(partner_id)
        refusal = (
            self._ledd_check_actor_rate()
            or self._ledd_check_scope(partner)
            or self._ledd_check_target_rate(partner)
            or (check and check(partner))
        )
        if refusal:
            code, message = refusal
            self._ledd_log(action, partner, "refused", code, message, reason)
            return {"ok": False, "code": code, "message": message}
        try:
            with self.env.cr.savepoint():
                code, message = perform(partner)
        except Exception:  # noqa: BLE001 - a failed action answers, it never raises
            _logger.warning("Login support action %s failed for partner %s", action, partner.id, exc_info=True)
            code = "failed"
            message = self.env._("Something went wrong and nothing was changed. Please try again later.")
            self.env.invalidate_all()
            self._ledd_log(action, partner, "failed", code, message, reason)
            return {"ok": False, "code": code, "message": message}
        self._ledd_log(action, partner, "done", code, message, reason)
        return {"ok": True, "code": code, "message": message}
