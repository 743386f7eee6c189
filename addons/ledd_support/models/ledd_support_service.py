import logging

from odoo import api, models
from odoo.tools import email_normalize

from .ledd_support_rate_limit import HELP_CONTACTS_QUIET_MINUTES

_logger = logging.getLogger(__name__)

MIN_REASON_LENGTH = 5


class LeddSupportService(models.AbstractModel):
    """Delegated login support: one implementation for the backend wizard and
    the portal. Every public method checks the calling user's scope, the
    anti-escalation rules (``ledd.support.scope``), its input and the rate
    limits (``ledd.support.rate.limit``), then acts with sudo, and answers
    ``{'ok', 'code', 'message'}``; it never raises on a refusal. Every call
    leaves a row in ``ledd.support.log`` in the same transaction, but for an
    actor over their rate limit: one summary row per window stands for all
    their attempts. The login doctor (``ledd.support.doctor``) and the mails
    (``ledd.support.mail``) work for it, after its checks."""

    _name = "ledd.support.service"
    _inherit = ["ledd.support.rate.limit"]
    _description = "Login Support Service"

    # ------------------------------------------------------------------
    # The login doctor
    # ------------------------------------------------------------------
    @api.model
    def diagnose(self, partner_id):
        """The login doctor: why can this person not log in, and what can the
        calling user do about it.

        Returns a list of findings ``{code, severity, message, action}``:
        ``code`` is stable, ``severity`` one of success/info/warning/danger,
        ``action`` the name of the service method that fixes it (or ""). The
        scope is checked here, before the doctor looks at the person."""
        scope = self.env["ledd.support.scope"]
        doctor = self.env["ledd.support.doctor"]
        partner = scope._ledd_target(partner_id)
        refusal = scope._ledd_check_scope(partner)
        if refusal:
            # One finding that tells nothing more about the person.
            code, message = refusal
            return [doctor._ledd_finding(code, "danger", message)]
        return doctor._ledd_diagnose(partner)

    @api.model
    def _ledd_available_actions(self, partner_id, findings=None):
        """Names of the actions that apply to this person now (for the front
        ends), from the findings of ``diagnose`` when already at hand."""
        if findings is None:
            findings = self.diagnose(partner_id)
        partner = self.env["ledd.support.scope"]._ledd_may_help(partner_id)
        if not partner:
            return []
        actions = {finding["action"] for finding in findings if finding["action"]}
        user = partner.with_context(active_test=False).user_ids[:1]
        if user and user.active and email_normalize(user.email or ""):
            actions.add("send_password_reset")
        actions.add("change_email")
        order = ["send_password_reset", "grant_portal_access", "reactivate_user", "change_email", "reset_two_factor"]
        return [name for name in order if name in actions]

    # ------------------------------------------------------------------
    # The public "Trouble logging in?" page
    # ------------------------------------------------------------------
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
        self.env["ledd.support.mail"]._ledd_queue_help_contacts(partner, email)
        return True

    # ------------------------------------------------------------------
    # The common frame of every action
    # ------------------------------------------------------------------
    @api.model
    def _ledd_run(self, action, partner_id, reason, check, perform):
        """Check, act and log one delegated action.

        ``check(partner)`` returns a refusal ``(code, message)`` or None;
        ``perform(partner)`` acts (with sudo) and returns ``(code, message)``.
        Anything ``perform`` raises rolls back to a savepoint, so that a failed
        action leaves nothing behind but its log row. The row counts for the
        person's rate limit once the actor passed the scope check, unless the
        person's limit itself refused it."""
        scope = self.env["ledd.support.scope"]
        log = self.env["ledd.support.log"]
        partner = scope._ledd_target(partner_id)
        actor_refusal = self._ledd_check_actor_rate()
        if actor_refusal:
            code, message, summary_due = actor_refusal
            if summary_due:
                detail = self.env._(
                    "%(message)s Until the window has passed, further attempts are refused without a row of their own.",
                    message=message,
                )
                log._ledd_record(action, partner, "refused", code, detail, reason, is_summary=True)
            return {"ok": False, "code": code, "message": message}
        refusal = scope._ledd_check_scope(partner) or self._ledd_check_target_rate(partner)
        counted = not refusal
        refusal = refusal or (check and check(partner))
        if refusal:
            code, message = refusal
            log._ledd_record(action, partner, "refused", code, message, reason, counts_for_target=counted)
            return {"ok": False, "code": code, "message": message}
        try:
            with self.env.cr.savepoint():
                code, message = perform(partner)
        except Exception:  # noqa: BLE001 - a failed action answers, it never raises
            _logger.warning("Login support action %s failed for partner %s", action, partner.id, exc_info=True)
            code = "failed"
            message = self.env._("Something went wrong and nothing was changed. Please try again later.")
            self.env.invalidate_all()
            log._ledd_record(action, partner, "failed", code, message, reason, counts_for_target=True)
            return {"ok": False, "code": code, "message": message}
        log._ledd_record(action, partner, "done", code, message, reason, counts_for_target=True)
        return {"ok": True, "code": code, "message": message}

    # ------------------------------------------------------------------
    # Helpers of the actions (all called on sudo records, after the checks)
    # ------------------------------------------------------------------
    @api.model
    def _ledd_user(self, partner):
        return partner.with_context(active_test=False).user_ids[:1]

    # ------------------------------------------------------------------
    # Delegated actions
    # ------------------------------------------------------------------
    @api.model
    def send_password_reset(self, partner_id, reason=""):
        """Mail the person a link to choose a new password."""

        def check(partner):
            user = self._ledd_user(partner)
            if not user:
                return "no_user", self.env._("This person has no account yet: invite them to the portal instead.")
            if not user.active:
                return "archived", self.env._("This account is archived: reactivate it first.")
            if not email_normalize(user.email or ""):
                return "no_email", self.env._("This person has no valid email address: correct the email first.")
            return None

        def perform(partner):
            mail = self.env["ledd.support.mail"]
            user = self._ledd_user(partner)
            hours = mail._ledd_queue_signup_link(user, "reset")
            mail._ledd_post(
                partner, self.env._("A link to choose a new password was sent to %(email)s.", email=user.email)
            )
            return "reset_sent", self.env._(
                "A link to choose a new password is on its way to %(email)s. It works for %(hours)s hours.",
                email=user.email,
                hours=hours,
            )

        return self._ledd_run("send_password_reset", partner_id, reason, check, perform)

    @api.model
    def grant_portal_access(self, partner_id, reason=""):
        """Create a portal account for the person (or invite again one who never
        logged in) and mail them an invitation link."""

        def check(partner):
            user = self._ledd_user(partner)
            email = email_normalize(partner.email or "")
            if user and not user.active:
                return "archived", self.env._("This account is archived: reactivate it instead.")
            if user and user.login_date:
                return "has_access", self.env._(
                    "This person already has an account and has logged in: send a password reset instead."
                )
            if not email:
                return "no_email", self.env._("This person has no valid email address: add the email first.")
            if not user and self.env["ledd.support.doctor"]._ledd_email_taken(email, partner):
                return "email_in_use", self.env._(
                    "Another account already uses %(email)s: the person may already have an account.", email=email
                )
            return None

        def perform(partner):
            mail = self.env["ledd.support.mail"]
            user = self._ledd_user(partner)
            created = not user
            if created:
                email = email_normalize(partner.email)
                user = (
                    self.env["res.users"]
                    .sudo()
                    .with_context(no_reset_password=True)
                    ._create_user_from_template(
                        {
                            "partner_id": partner.id,
                            "login": email,
                            "email": email,
                            "company_id": self.env.company.id,
                            "company_ids": [(6, 0, self.env.company.ids)],
                        }
                    )
                )
            hours = mail._ledd_queue_signup_link(user, "invitation")
            mail._ledd_post(partner, self.env._("An invitation to the portal was sent to %(email)s.", email=user.email))
            return ("invited" if created else "invitation_resent"), self.env._(
                "An invitation is on its way to %(email)s. The link works for %(hours)s hours.",
                email=user.email,
                hours=hours,
            )

        return self._ledd_run("grant_portal_access", partner_id, reason, check, perform)

    @api.model
    def change_email(self, partner_id, new_email, reason=""):
        """Change the person's email, and their login where it was the old email;
        tell both the old and the new address."""
        new = email_normalize(new_email or "")

        def check(partner):
            if not new:
                return "invalid_email", self.env._(
                    "“%(email)s” is not a valid email address.", email=(new_email or "").strip()
                )
            if new == email_normalize(partner.email or ""):
                return "same_email", self.env._("This is already the person's email address.")
            if self.env["ledd.support.doctor"]._ledd_email_taken(new, partner):
                return "email_in_use", self.env._("Another account already uses %(email)s.", email=new)
            return None

        def perform(partner):
            mail = self.env["ledd.support.mail"]
            old = partner.email
            user = self._ledd_user(partner)
            partner.write({"email": new})
            login_changed = bool(user and old and email_normalize(user.login or "") == email_normalize(old))
            if login_changed:
                user.write({"login": new})
            values = {"old": old or "", "new": new, "login_changed": login_changed}
            for address in filter(None, {old, new}):
                mail._ledd_queue_mail("ledd_support.mail_template_email_changed", partner, address, values)
            if login_changed:
                text = self.env._("Email and login changed from %(old)s to %(new)s.", old=old or "-", new=new)
            else:
                text = self.env._("Email changed from %(old)s to %(new)s.", old=old or "-", new=new)
            mail._ledd_post(partner, text)
            return "email_changed", text

        return self._ledd_run("change_email", partner_id, reason, check, perform)

    @api.model
    def reactivate_user(self, partner_id, reason=""):
        """Unarchive the person's account."""

        def check(partner):
            user = self._ledd_user(partner)
            if not user:
                return "no_user", self.env._("This person has no account: invite them to the portal instead.")
            if user.active:
                return "not_archived", self.env._("This account is active already.")
            if self.env["ledd.support.doctor"]._ledd_email_taken(user.login, partner):
                return "email_in_use", self.env._("Another account now uses the login %(login)s.", login=user.login)
            return None

        def perform(partner):
            mail = self.env["ledd.support.mail"]
            user = self._ledd_user(partner)
            user.write({"active": True})
            if not partner.active:
                partner.write({"active": True})
            mail._ledd_post(partner, self.env._("The account was reactivated."))
            return "reactivated", self.env._(
                "The account of %(name)s is active again: they can log in as %(login)s.",
                name=partner.name,
                login=user.login,
            )

        return self._ledd_run("reactivate_user", partner_id, reason, check, perform)

    @api.model
    def reset_two_factor(self, partner_id, reason):
        """Turn off two-factor authentication (the person lost their phone);
        a reason is required and the person is told by email."""

        def check(partner):
            if len((reason or "").strip()) < MIN_REASON_LENGTH:
                return "reason_required", self.env._(
                    "Say why two-factor authentication must be turned off (at least %(count)s characters).",
                    count=MIN_REASON_LENGTH,
                )
            user = self._ledd_user(partner)
            if not user or not user.totp_enabled:
                return "two_factor_off", self.env._("This person does not use two-factor authentication.")
            return None

        def perform(partner):
            mail = self.env["ledd.support.mail"]
            user = self._ledd_user(partner)
            user._revoke_all_devices()
            user.write({"totp_secret": False})
            if email_normalize(user.email or ""):
                mail._ledd_queue_mail(
                    "ledd_support.mail_template_two_factor_reset", user, user.email, {"reason": reason.strip()}
                )
            mail._ledd_post(
                partner,
                self.env._("Two-factor authentication was turned off. Reason: %(reason)s", reason=reason.strip()),
            )
            return "two_factor_reset", self.env._(
                "Two-factor authentication is off for %(name)s: they log in with their password only "
                "and can turn it on again in their account settings.",
                name=partner.name,
            )

        return self._ledd_run("reset_two_factor", partner_id, reason, check, perform)
