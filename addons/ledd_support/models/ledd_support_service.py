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
    Every call leaves a row in ``ledd.support.log`` in the same transaction,
    but for an actor over their rate limit: one summary row per window stands
    for all their attempts."""

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
        not_outranked = [
            ("grants_rights", "=", True),
            *self._ledd_current_role_domain(),
            "!",
            # the role's unit lies strictly below a root: its parent is in a root's subtree
            ("unit_id.parent_id", "any", [("id", "child_of", roots.ids)]),
        ]
        return base + [("ledd_unit_id", "child_of", roots.ids), "!", ("ledd_role_ids", "any", not_outranked)]

    @api.model
    def _ledd_send_help_contacts(self, email):
        """Mail the people who can help to the person with this email (public
        "Trouble logging in?" page). Sends nothing if the email is unknown,
        nor twice within a few minutes to the same person.

        Called by the cron of ``ledd.support.help.queue``, never in the page's
        request: the lookup would tell a known address from an unknown one by
        the response time."""
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
    def _ledd_count_recent(self, lock_class, record_id, key, domain):
        """Log rows matching ``domain`` in the sliding window of one actor or
        one target: ``(count, window in minutes)``.

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
        since = now - timedelta(minutes=window)
        return log.search_count(domain + [("create_date", ">=", since)]), window

    @api.model
    def _ledd_check_actor_rate(self):
        """Refusal ``(code, message, summary_due)`` once the calling user is
        past their limit, else None.

        Every row the actor caused counts, refusals included (out-of-scope
        probing, or insisting on a person held back by their own limit), but
        the summary rows. Once over the limit, one summary row stands for the
        whole window: ``summary_due`` is False while the window already holds
        one, and then the attempt leaves no row at all."""
        limit = self._ledd_param("rate_limit_per_actor", DEFAULT_ACTOR_LIMIT)
        if not limit:
            return None
        actor = self.env.user
        count, window = self._ledd_count_recent(
            LOCK_CLASS_ACTOR, actor.id, f"actor-{actor.id}", [("actor_id", "=", actor.id), ("is_summary", "=", False)]
        )
        if count < limit:
            return None
        since = fields.Datetime.now() - timedelta(minutes=window)
        summaries = (
            self.env["ledd.support.log"]
            .sudo()
            .search_count(
                [("actor_id", "=", actor.id), ("is_summary", "=", True), ("create_date", ">=", since)], limit=1
            )
        )
        message = self.env._(
            "You have used the login support tools %(count)s times in the last %(minutes)s minutes. "
            "Please wait a while and try again.",
            count=limit,
            minutes=window,
        )
        return "rate_limited", message, not summaries

    @api.model
    def _ledd_check_target_rate(self, partner):
        """Refusal ``(code, message)`` once the person was helped too often,
        else None. Only attempts by actors who passed the scope check count
        (``counts_for_target``): someone who may not help a person cannot use
        up that person's limit."""
        limit = self._ledd_param("rate_limit_per_target", DEFAULT_TARGET_LIMIT)
        if not limit:
            return None
        count, window = self._ledd_count_recent(
            LOCK_CLASS_TARGET,
            partner.id,
            f"target-{partner.id}",
            [("target_partner_id", "=", partner.id), ("counts_for_target", "=", True)],
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
    def _ledd_log(self, action, partner, outcome, code, message, reason="", counts_for_target=False, is_summary=False):
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
                    "counts_for_target": counts_for_target,
                    "is_summary": is_summary,
                }
            )
        )

    @api.model
    def _ledd_run(self, action, partner_id, reason, check, perform):
        """Check, act and log one delegated action.

        ``check(partner)`` returns a refusal ``(code, message)`` or None;
        ``perform(partner)`` acts (with sudo) and returns ``(code, message)``.
        Anything ``perform`` raises rolls back to a savepoint, so that a failed
        action leaves nothing behind but its log row. The row counts for the
        person's rate limit once the actor passed the scope check, unless the
        person's limit itself refused it."""
        partner = self._ledd_target(partner_id)
        actor_refusal = self._ledd_check_actor_rate()
        if actor_refusal:
            code, message, summary_due = actor_refusal
            if summary_due:
                detail = self.env._(
                    "%(message)s Until the window has passed, further attempts are refused without a row of their own.",
                    message=message,
                )
                self._ledd_log(action, partner, "refused", code, detail, reason, is_summary=True)
            return {"ok": False, "code": code, "message": message}
        refusal = self._ledd_check_scope(partner) or self._ledd_check_target_rate(partner)
        counted = not refusal
        refusal = refusal or (check and check(partner))
        if refusal:
            code, message = refusal
            self._ledd_log(action, partner, "refused", code, message, reason, counts_for_target=counted)
            return {"ok": False, "code": code, "message": message}
        try:
            with self.env.cr.savepoint():
                code, message = perform(partner)
        except Exception:  # noqa: BLE001 - a failed action answers, it never raises
            _logger.warning("Login support action %s failed for partner %s", action, partner.id, exc_info=True)
            code = "failed"
            message = self.env._("Something went wrong and nothing was changed. Please try again later.")
            self.env.invalidate_all()
            self._ledd_log(action, partner, "failed", code, message, reason, counts_for_target=True)
            return {"ok": False, "code": code, "message": message}
        self._ledd_log(action, partner, "done", code, message, reason, counts_for_target=True)
        return {"ok": True, "code": code, "message": message}
