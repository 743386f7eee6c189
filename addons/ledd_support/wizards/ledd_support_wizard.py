from markupsafe import Markup

from odoo import api, fields, models

ALERT_CLASSES = {
    "success": "alert-success",
    "info": "alert-info",
    "warning": "alert-warning",
    "danger": "alert-danger",
}


class LeddSupportWizard(models.TransientModel):
    """Backend front end of the login support service: the doctor's findings
    and only the fixes that apply."""

    _name = "ledd.support.wizard"
    _description = "Help with Login"

    partner_id = fields.Many2one("res.partner", string="Person", required=True, readonly=True, ondelete="cascade")
    findings_html = fields.Html(string="Findings", compute="_compute_findings", sanitize=False)
    can_send_password_reset = fields.Boolean(compute="_compute_findings")
    can_grant_portal_access = fields.Boolean(compute="_compute_findings")
    can_reactivate_user = fields.Boolean(compute="_compute_findings")
    can_change_email = fields.Boolean(compute="_compute_findings")
    can_reset_two_factor = fields.Boolean(compute="_compute_findings")
    new_email = fields.Char()
    reason = fields.Char(help="Why you help: kept in the audit log. Required to turn off two-factor authentication.")
    result_message = fields.Char(readonly=True)
    result_ok = fields.Boolean(readonly=True)

    @api.depends("partner_id", "result_message")
    def _compute_findings(self):
        service = self.env["ledd.support.service"]
        for wizard in self:
            findings = service.diagnose(wizard.partner_id.id) if wizard.partner_id else []
            actions = set(service._ledd_available_actions(wizard.partner_id.id, findings)) if findings else set()
            wizard.findings_html = Markup("").join(
                Markup('<div class="alert %s mb-2" role="status" data-code="%s">%s</div>')
                % (ALERT_CLASSES.get(finding["severity"], "alert-info"), finding["code"], finding["message"])
                for finding in findings
            )
            for name in (
                "send_password_reset",
                "grant_portal_access",
                "reactivate_user",
                "change_email",
                "reset_two_factor",
            ):
                wizard[f"can_{name}"] = name in actions

    def _ledd_call(self, method, *args):
        self.ensure_one()
        service = self.env["ledd.support.service"].with_context(ledd_support_channel="backend")
        result = getattr(service, method)(self.partner_id.id, *args)
        self.write({"result_message": result["message"], "result_ok": result["ok"]})
        if result["ok"]:
            self.write({"new_email": False, "reason": False})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Help with login"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_send_password_reset(self):
        return self._ledd_call("send_password_reset", self.reason or "")

    def action_grant_portal_access(self):
        return self._ledd_call("grant_portal_access", self.reason or "")

    def action_reactivate_user(self):
        return self._ledd_call("reactivate_user", self.reason or "")

    def action_change_email(self):
        return self._ledd_call("change_email", self.new_email or "", self.reason or "")

    def action_reset_two_factor(self):
        return self._ledd_call("reset_two_factor", self.reason or "")
