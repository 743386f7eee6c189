from odoo import api, fields, models, tools


class ResPartner(models.Model):
    _inherit = "res.partner"

    ledd_signup_serial = fields.Integer(
        string="Signup Link Serial",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Raised each time a signup or reset link is prepared for this person, and signed into the link: "
        "a new link invalidates the previous one.",
    )

    def init(self):
        res = super().init()
        # The login doctor and the public help page look people up by email.
        tools.create_index(self.env.cr, "res_partner_ledd_email_normalized_idx", self._table, ["email_normalized"])
        return res

    def action_ledd_login_help(self):
        """Open the "Help with login" wizard for this person."""
        self.ensure_one()
        wizard = self.env["ledd.support.wizard"].create({"partner_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Help with login"),
            "res_model": "ledd.support.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Signup tokens: a new link invalidates the previous one
    # ------------------------------------------------------------------
    def signup_prepare(self, signup_type="signup"):
        """Every flow that prepares a link (Ledd's tools, Odoo's reset and
        invitations, the portal wizard) passes here: raising the serial makes
        every link handed out before this one stop working."""
        res = super().signup_prepare(signup_type=signup_type)
        for partner in self.sudo():
            partner.ledd_signup_serial += 1
        return res

    def _generate_signup_token(self, expiration=None):
        """auth_signup's token, with the partner's serial in the signed payload.

        Odoo 18's tokens are stateless: without the serial, every link sent
        for the same person and type stays valid until it expires, so a link
        read by someone else could not be revoked by sending a new one."""
        self.ensure_one()
        partner = self.sudo()
        if not expiration:
            if partner.signup_type == "reset":
                param, default = "auth_signup.reset_password.validity.hours", 4
            else:
                param, default = "auth_signup.signup.validity.hours", 144
            expiration = int(partner.env["ir.config_parameter"].get_param(param, default))
        payload = [partner.id, partner.user_ids.ids, partner._get_login_date(), partner.signup_type]
        payload.append(partner.ledd_signup_serial)
        return tools.hash_sign(partner.env, "signup", payload, expiration_hours=expiration)

    @api.model
    def _get_partner_from_token(self, token):
        """The partner of a valid token: signed, not expired, and still the
        partner's latest link (same users, last login, type and serial)."""
        payload = tools.verify_hash_signed(self.sudo().env, "signup", token)
        if not isinstance(payload, list) or len(payload) != 5:
            return None
        partner_id, user_ids, login_date, signup_type, serial = payload
        partner = self.browse(partner_id).exists()
        if not partner:
            return None
        partner_sudo = partner.sudo()
        if (
            login_date == partner_sudo._get_login_date()
            and partner_sudo.user_ids.ids == user_ids
            and signup_type == partner_sudo.signup_type
            and serial == partner_sudo.ledd_signup_serial
        ):
            return partner
        return None
