from odoo import api, fields, models
from odoo.tools import email_normalize, format_datetime


class LeddSupportDoctor(models.AbstractModel):
    """The login doctor: why can a person not log in, and which action of
    ``ledd.support.service`` fixes it.

    It examines a person the caller was already found to be allowed to help:
    ``ledd.support.service.diagnose`` checks the scope first and asks the
    doctor only then. The service's actions also use its email lookup
    (``_ledd_email_taken``) in their input checks."""

    _name = "ledd.support.doctor"
    _description = "Login Doctor"

    @api.model
    def _ledd_finding(self, code, severity, message, action=""):
        return {"code": code, "severity": severity, "message": message, "action": action}

    @api.model
    def _ledd_diagnose(self, partner):
        """Findings ``{code, severity, message, action}`` on ``partner`` (sudo),
        whom the calling user may help: see ``ledd.support.service.diagnose``."""
        user = partner.with_context(active_test=False).user_ids[:1]
        email = email_normalize(partner.email or "")
        findings = self._ledd_diagnose_email(partner, email)
        if not user:
            findings.append(
                self._ledd_finding(
                    "no_user",
                    "warning",
                    self.env._("No account yet: invite the person to the portal."),
                    "grant_portal_access" if email else "",
                )
            )
            return findings
        findings += self._ledd_diagnose_login(partner, user, email)
        if not user.active:
            findings.append(
                self._ledd_finding(
                    "archived",
                    "danger",
                    self.env._("The account is archived: nobody can log in with it."),
                    "reactivate_user",
                )
            )
            return findings
        findings += self._ledd_diagnose_links(user)
        findings += self._ledd_diagnose_security(user)
        if not any(finding["severity"] in ("warning", "danger") for finding in findings):
            findings.insert(
                0,
                self._ledd_finding(
                    "ok",
                    "success",
                    self.env._("Nothing blocks this account. If the password is forgotten, send a password reset."),
                    "send_password_reset" if email else "",
                ),
            )
        return findings

    @api.model
    def _ledd_when(self, value):
        return format_datetime(self.env, value, tz=self.env.user.tz or "UTC", dt_format="short")

    @api.model
    def _ledd_diagnose_email(self, partner, email):
        _ = self.env._
        if not partner.email:
            return [
                self._ledd_finding("no_email", "danger", _("No email address: no link can be sent."), "change_email")
            ]
        if not email:
            return [
                self._ledd_finding(
                    "invalid_email",
                    "danger",
                    _("The email address “%(email)s” is not valid.", email=partner.email),
                    "change_email",
                )
            ]
        if self._ledd_email_shared(partner, email):
            return [
                self._ledd_finding(
                    "duplicate_email",
                    "warning",
                    _(
                        "Another contact or account has the same email address %(email)s: "
                        "links and logins may go to the wrong person.",
                        email=email,
                    ),
                    "change_email",
                )
            ]
        return []

    @api.model
    def _ledd_diagnose_login(self, partner, user, email):
        _ = self.env._
        findings = []
        if user.login and email and email_normalize(user.login) != email:
            findings.append(
                self._ledd_finding(
                    "login_not_email",
                    "info",
                    _("The person logs in with “%(login)s”, not with their email address.", login=user.login),
                )
            )
            if self._ledd_email_taken(user.login, partner):
                findings.append(
                    self._ledd_finding(
                        "duplicate_login",
                        "danger",
                        _("Another account uses “%(login)s” too.", login=user.login),
                        "change_email",
                    )
                )
        return findings

    @api.model
    def _ledd_diagnose_links(self, user):
        """Never logged in, invitation and password links (Ledd's own record of
        what it sent: Odoo's signup tokens are stateless)."""
        _ = self.env._
        when = self._ledd_when
        sent, expiry = user.ledd_link_sent_date, user.ledd_link_expiry_date
        # Compared to the second: the recorded link date has no microseconds.
        pending = sent and (not user.login_date or sent >= user.login_date.replace(microsecond=0))
        expired = pending and expiry and expiry < fields.Datetime.now()
        if user.login_date:
            findings = [
                self._ledd_finding("last_login", "info", _("Last logged in %(date)s.", date=when(user.login_date)))
            ]
            if expired:
                findings.append(
                    self._ledd_finding(
                        "reset_link_expired",
                        "warning",
                        _("The password link sent %(sent)s has expired.", sent=when(sent)),
                        "send_password_reset",
                    )
                )
            elif pending:
                findings.append(
                    self._ledd_finding(
                        "reset_link_pending",
                        "info",
                        _(
                            "A password link was sent %(sent)s and works until %(expiry)s.",
                            sent=when(sent),
                            expiry=when(expiry),
                        ),
                    )
                )
            return findings
        if not sent:
            return [
                self._ledd_finding(
                    "invitation_not_sent",
                    "warning",
                    _("Never logged in, and Ledd has no record of an invitation."),
                    "grant_portal_access",
                )
            ]
        if expired:
            return [
                self._ledd_finding(
                    "invitation_expired",
                    "danger",
                    _(
                        "Never logged in: the last link, sent %(sent)s, expired %(expiry)s.",
                        sent=when(sent),
                        expiry=when(expiry),
                    ),
                    "grant_portal_access",
                )
            ]
        return [
            self._ledd_finding(
                "invitation_pending",
                "warning",
                _(
                    "Never logged in: a link was sent %(sent)s and works until %(expiry)s. "
                    "Ask the person to look in their inbox and spam folder.",
                    sent=when(sent),
                    expiry=when(expiry),
                ),
                "grant_portal_access",
            )
        ]

    @api.model
    def _ledd_diagnose_security(self, user):
        _ = self.env._
        findings = []
        if user.ledd_failed_login_count:
            findings.append(
                self._ledd_finding(
                    "failed_logins",
                    "warning",
                    _(
                        "%(count)s failed login attempt(s) since the last successful login, the last %(date)s: "
                        "the person may have forgotten their password.",
                        count=user.ledd_failed_login_count,
                        date=self._ledd_when(user.ledd_failed_login_date),
                    ),
                    "send_password_reset",
                )
            )
        if user.totp_enabled:
            findings.append(
                self._ledd_finding(
                    "two_factor_on",
                    "info",
                    _(
                        "Two-factor authentication is on: the person needs the code from their "
                        "authenticator app. If they lost the phone, turn it off."
                    ),
                    "reset_two_factor",
                )
            )
        return findings

    @api.model
    def _ledd_email_shared(self, partner, email):
        """True if another person (not a company or unit) or account has this email."""
        partners = self.env["res.partner"].sudo()
        if partners.search_count(
            [("id", "!=", partner.id), ("email_normalized", "=", email), ("is_company", "=", False)], limit=1
        ):
            return True
        return self._ledd_email_taken(email, partner)

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
