import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessDenied
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    ledd_link_kind = fields.Selection(
        [("invitation", "Invitation"), ("reset", "Password reset")],
        string="Last Link Sent",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Odoo's signup links carry no state: Ledd records the last one sent through the login support tools.",
    )
    ledd_link_sent_date = fields.Datetime(
        string="Last Link Sent On", readonly=True, copy=False, groups="base.group_user"
    )
    ledd_link_expiry_date = fields.Datetime(
        string="Last Link Expires On", readonly=True, copy=False, groups="base.group_user"
    )
    ledd_failed_login_count = fields.Integer(
        string="Failed Logins",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Failed login attempts since the last successful login, counted in the "
        "database so that every worker sees them.",
    )
    ledd_failed_login_date = fields.Datetime(
        string="Last Failed Login", readonly=True, copy=False, groups="base.group_user"
    )

    def _ledd_record_link(self, kind):
        """Record that a signup link of ``kind`` (invitation/reset) was sent now,
        and when it expires (auth_signup's validity settings); returns its
        validity in hours. Odoo's tokens are stateless: this record lets the
        login doctor tell an expired link from a fresh one."""
        if kind == "reset":
            param, default = "auth_signup.reset_password.validity.hours", 4
        else:
            param, default = "auth_signup.signup.validity.hours", 144
        hours = int(self.env["ir.config_parameter"].sudo().get_param(param, default))
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "ledd_link_kind": kind,
                "ledd_link_sent_date": now,
                "ledd_link_expiry_date": now + timedelta(hours=hours),
            }
        )
        return hours

    def _action_reset_password(self, signup_type="reset"):
        # Odoo's own invitations and resets (user creation, portal wizard, the
        # "Reset Password" page) are recorded too, and their mails marked as
        # holding a link: the link is removed if the mail cannot be delivered.
        res = super(ResUsers, self.with_context(ledd_secret_link=True))._action_reset_password(signup_type=signup_type)
        if not (self.env.context.get("install_mode") or self.env.context.get("import_file")):
            self._ledd_record_link("reset" if signup_type == "reset" else "invitation")
        return res

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        try:
            return super()._login(db, credential, user_agent_env)
        except AccessDenied:
            if credential.get("type") == "password" and credential.get("login"):
                cls._ledd_record_failed_login(credential["login"])
            raise

    @classmethod
    def _ledd_record_failed_login(cls, login):
        """Count a failed login. Odoo keeps failures in each worker's memory
        only; the login's own transaction is rolled back, so the count is
        written in a cursor of its own, after that one has closed."""
        try:
            with cls.pool.cursor() as cr:
                users = api.Environment(cr, SUPERUSER_ID, {})[cls._name]
                user = users.search(users._get_login_domain(login), order=users._get_login_order(), limit=1)
                if user:
                    cr.execute(
                        SQL(
                            """
                            UPDATE res_users
                               SET ledd_failed_login_count = COALESCE(ledd_failed_login_count, 0) + 1,
                                   ledd_failed_login_date = (now() AT TIME ZONE 'UTC')
                             WHERE id = %s
                            """,
                            user.id,
                        )
                    )
        except Exception:  # noqa: BLE001 - counting must never break a login
            _logger.warning("Could not record a failed login for %s", login, exc_info=True)

    @api.model
    def _update_last_login(self):
        res = super()._update_last_login()
        user = self.env.user.sudo()
        if user.ledd_failed_login_count:
            user.write({"ledd_failed_login_count": 0})
        return res
