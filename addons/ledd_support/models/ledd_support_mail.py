from markupsafe import Markup

from odoo import SUPERUSER_ID, api, models
from odoo.tools import is_html_empty

# The mail that carries each kind of signup link.
LINK_TEMPLATES = {
    "reset": "ledd_support.mail_template_password_reset",
    "invitation": "ledd_support.mail_template_invitation",
}


class LeddSupportMail(models.AbstractModel):
    """What login support tells the people it helps: a note on the person's
    chatter for every action, and mails, all queued (``mail.mail``, sent by
    the mail queue cron) so that an action works while no mail server
    answers: plain notices to an address, and the mails that carry a reset or
    invitation link, which nobody but the person may ever read back.

    Called by ``ledd.support.service`` after its checks, on what it chose to
    send."""

    _name = "ledd.support.mail"
    _description = "Login Support Mails"

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
        """Queue the mail of ``template_xmlid`` about ``record`` to ``email_to``."""
        template = self.env.ref(template_xmlid).sudo()
        lang = record.lang or self.env.lang or "en_US"
        return template.with_context(lang=lang, ledd_values=values or {}).send_mail(
            record.id,
            force_send=False,
            email_values={"email_to": email_to, "recipient_ids": [], "auto_delete": False},
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _ledd_queue_help_contacts(self, partner, email):
        """Queue the mail that names the people who can help ``partner`` log in
        (the public "Trouble logging in?" page) to ``email``."""
        contacts = [
            {
                "name": role.partner_id.name,
                "role": role.role_type_id.name,
                "unit": role.unit_id.name,
                "email": role.partner_id.email or "",
                "phone": role.partner_id.phone or "",
            }
            for role in partner.ledd_unit_id._get_help_contacts()
        ]
        return self._ledd_queue_mail("ledd_support.mail_template_help_contacts", partner, email, {"contacts": contacts})

    @api.model
    def _ledd_queue_signup_link(self, user, kind):
        """Queue a new reset or invitation link (``kind``) to ``user``: the
        hours it works. The link itself goes into the mail and nowhere else."""
        url, hours = self._ledd_signup_link(user, kind)
        self._ledd_queue_link_mail(LINK_TEMPLATES[kind], user, {"url": url, "hours": hours})
        return hours

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
