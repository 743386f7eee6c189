import base64
import os

from odoo import Command
from odoo.tests.common import new_test_user

from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin

# A random secret: any base32 string turns two-factor authentication on.
TOTP_SECRET = base64.b32encode(os.urandom(10)).decode()


class LeddSupportMixin(LeddOrganisationMixin):
    """Ledd's test organisation, plus the people login support needs.

    - Sara (portal, superuser in Bergen) helps the people of Bergen and its group;
    - Peder (portal, superuser in Bergen too) is her peer: neither may help the other;
    - Gunn (portal, superuser of the group below Bergen): Sara may help her;
    - Rita (portal, superuser of the region Vestland): may help Sara and Peder.
    """

    @classmethod
    def _create_ledd_support_organisation(cls):
        cls._create_ledd_organisation()
        env = cls.env
        Role = env["ledd.role"]
        cls.user_peer_super = new_test_user(env, login="t_peer_super", name="Peder Peer", groups="base.group_portal")
        cls.user_group_super = new_test_user(env, login="t_group_super", name="Gunn Gruppe", groups="base.group_portal")
        cls.user_region_super = new_test_user(
            env, login="t_region_super", name="Rita Region", groups="base.group_portal"
        )
        cls.user_peer_super.partner_id.write({"ledd_unit_id": cls.unit_l1.id, "email": "peder@example.com"})
        cls.user_group_super.partner_id.write({"ledd_unit_id": cls.unit_g1.id, "email": "gunn@example.com"})
        cls.user_region_super.partner_id.write({"ledd_unit_id": cls.unit_r1.id, "email": "rita@example.com"})
        for user, unit in (
            (cls.user_peer_super, cls.unit_l1),
            (cls.user_group_super, cls.unit_g1),
            (cls.user_region_super, cls.unit_r1),
        ):
            Role.create({"partner_id": user.partner_id.id, "unit_id": unit.id, "role_type_id": cls.rt_superuser.id})
        # Per logs in with his email, as Odoo's own invitations do.
        cls.user_portal.write({"login": "per@example.com", "email": "per@example.com"})
        cls.service = env["ledd.support.service"]
        cls.Log = env["ledd.support.log"]
        cls.Mail = env["mail.mail"]

    def _as(self, user):
        return self.service.with_user(user)

    def _logs(self, partner):
        return self.Log.sudo().search([("target_partner_id", "=", partner.id)])

    def _mails(self, email):
        return self.Mail.sudo().search([("email_to", "=", email)])

    def _portal_user(self, partner, login):
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "partner_id": partner.id,
                    "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )

    def _fake_login(self, user):
        """A successful login, as Odoo records it (res.users.log)."""
        self.env["res.users.log"].with_user(user).sudo().create({})
        user.invalidate_recordset(["login_date", "log_ids"])
        self.assertTrue(user.login_date)
