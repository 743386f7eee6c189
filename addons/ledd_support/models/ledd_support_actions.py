from markupsafe import Markup

from odoo import SUPERUSER_ID, api, models
from odoo.tools import email_normalize, is_html_empty

from .ledd_support_service import MIN_REASON_LENGTH


class LeddSupportService(models.AbstractModel):
    _inherit = "ledd.support.service"

    # ------------------------------------------------------------------
    # Helpers of the actions (all called on sudo records, after the checks)
    # ------------------------------------------------------------------
    @api.model
    def _ledd_user(self, partner):
        return partner.with_context(active_test=False).user_ids[:1]

    @api.model
    def _ledd_post(self, partner, body):
        """A note in plain words on the person's chatter (nobody notified)."""
        actor = self.env.user
        partner.message_post(
            body=Markup("<p>%s</p>") % self.env._("%(text)s (by %(actor)s)", text=body, actor=actor.name),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=actor.partner_id.id,
        )

    @api.model
    def _ledd_queue_mail(self, template_xmlid, record, email_to, values=None):
        """Queue a mail (mail.mail, sent by the mail queue cron): the action works
        while no mail server answers."""
        template = self.env.ref(template_xmlid).sudo()
        lang = record.lang or self.env.lang or "en_US"
        return template.with_context(lang=lang, ledd_values=values or {}).send_mail(
            record.id,
            force_send=False,
            email_values={"email_to": email_to, "recipient_ids": [], "auto_delete": False},
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _ledd_queue_link_mail(self, template_xmlid, user, values):
        """Queue a mail holding a reset or invitation link, built as
        auth_signup builds its own reset mail: a user notification on no
        document (nobody reads it through a record's chatter), created as the
        superuser (the sender is neither its author nor its creator, so cannot
        read it back), deleted once sent, and its link removed if it fails
        (see ``mail.mail``). Queued, not sent: the action works while no mail
        server answers."""
        lang = user.lang or self.env.lang or "en_US"
        template = self.env.ref(template_xmlid).sudo().with_context(lang=lang, ledd_values=values)
        rendered = template._generate_template(user.ids, ("body_html", "email_from", "subject"))[user.id]
        layout_context = {
            "message": self.env["mail.message"]
            .sudo()
            .new({"body": rendered["body_html"], "record_name": user.display_name}),
            "subtype": self.env["mail.message.subtype"].sudo(),
            "model_description": self.env["ir.model"]._get(user._name).with_context(lang=lang).display_name,
            "record": user,
            "record_name": False,
            "subtitles": False,
            "company": user.company_id or self.env.company,
            "email_add_signature": False,
            "signature": "",
            "website_url": "",
            "is_html_empty": is_html_empty,
        }
        body = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render("mail.mail_notification_light", layout_context, minimal_qcontext=True, raise_if_not_found=False)
        )
        return (
            self.env["mail.mail"]
            .with_user(SUPERUSER_ID)
            .create(
                {
                    "subject": rendered["subject"],
                    "email_from": rendered.get("email_from") or user.company_id.email_formatted,
                    "email_to": user.email,
                    "email_cc": False,
                    "body_html": self.env["mail.render.mixin"]._replace_local_links(body or rendered["body_html"]),
                    "auto_delete": True,
                    "message_type": "user_notification",
                    "recipient_ids": [],
                    "partner_ids": [],
                    "scheduled_date": False,
                    "ledd_secret_link": True,
                }
            )
        )

    @api.model
    def _ledd_signup_link(self, user, kind):
        """Prepare a signup token for ``user`` and record what was sent when.

        Odoo's tokens are stateless (signed, with an expiry): Ledd keeps the
        date and expiry of the last link so that the login doctor can tell an
        expired link from a fresh one."""
        partner = user.partner_id
        partner.signup_prepare(signup_type="reset" if kind == "reset" else "signup")
        hours = user._ledd_record_link(kind)
        url = partner._get_signup_url_for_action()[partner.id]
        return url, hours

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
            user = self._ledd_user(partner)
            url, hours = self._ledd_signup_link(user, "reset")
            self._ledd_queue_link_mail("ledd_support.mail_template_password_reset", user, {"url": url, "hours": hours})
            self._ledd_post(
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
            if not user and self._ledd_email_taken(email, partner):
                return "email_in_use", self.env._(
                    "Another account already uses %(email)s: the person may already have an account.", email=email
                )
            return None

        def perform(partner):
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
            url, hours = self._ledd_signup_link(user, "invitation")
            self._ledd_queue_link_mail("ledd_support.mail_template_invitation", user, {"url": url, "hours": hours})
            self._ledd_post(partner, self.env._("An invitation to the portal was sent to %(email)s.", email=user.email))
            return ("invited" if created else "invitation_resent"), self.env._(
                "An invitation is on its way to %(email)s. The link works for %(hours)s hours.",
                email=user.email,
                hours=hours,
            )

        return self._ledd_run("grant_portal_access", partner_id, reason, check, perform)

    @api.model
    def _ledd_email_taken(self, email, partner):
        """True if another account logs in with, or has, this (normalized) email."""
        users = self.env["res.users"].sudo().with_context(active_test=False)
        return bool(
            users.search_count(
                [
                    ("partner_id", "!=", partner.id),
                    "|",
                    ("login", "=", email),
                    ("partner_id.email_normalized", "=", email),
                ],
                limit=1,
            )
        )

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
            if self._ledd_email_taken(new, partner):
                return "email_in_use", self.env._("Another account already uses %(email)s.", email=new)
            return None

        def perform(partner):
            old = partner.email
            user = self._ledd_user(partner)
            partner.write({"email": new})
            login_changed = bool(user and old and email_normalize(user.login or "") == email_normalize(old))
            if login_changed:
                user.write({"login": new})
            values = {"old": old or "", "new": new, "login_changed": login_changed}
            for address in filter(None, {old, new}):
                self._ledd_queue_mail("ledd_support.mail_template_email_changed", partner, address, values)
            if login_changed:
                text = self.env._("Email and login changed from %(old)s to %(new)s.", old=old or "-", new=new)
            else:
                text = self.env._("Email changed from %(old)s to %(new)s.", old=old or "-", new=new)
            self._ledd_post(partner, text)
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
            if self._ledd_email_taken(user.login, partner):
                return "email_in_use", self.env._("Another account now uses the login %(login)s.", login=user.login)
            return None

        def perform(partner):
            user = self._ledd_user(partner)
            user.write({"active": True})
            if not partner.active:
                partner.write({"active": True})
            self._ledd_post(partner, self.env._("The account was reactivated."))
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
            user = self._ledd_user(partner)
            user._revoke_all_devices()
            user.write({"totp_secret": False})
            if email_normalize(user.email or ""):
                self._ledd_queue_mail(
                    "ledd_support.mail_template_two_factor_reset", user, user.email, {"reason": reason.strip()}
                )
            self._ledd_post(
                partner,
                self.env._("Two-factor authentication was turned off. Reason: %(reason)s", reason=reason.strip()),
            )
            return "two_factor_reset", self.env._(
                "Two-factor authentication is off for %(name)s: they log in with their password only "
                "and can turn it on again in their account settings.",
                name=partner.name,
            )

        return self._ledd_run("reset_two_factor", partner_id, reason, check, perform)
