from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.ledd_base.controllers.portal import LeddOrganisationPortal

PEOPLE_PER_PAGE = 40
HISTORY_ROWS = 10
ACTIONS = ("send_password_reset", "grant_portal_access", "reactivate_user", "change_email", "reset_two_factor")


class LeddSupportPortal(LeddOrganisationPortal):
    """ "Help others log in" on /my: portal superusers search the people of
    the units they support, see what the login doctor finds and fix it."""

    def _ledd_support_service(self):
        return request.env["ledd.support.service"].with_context(ledd_support_channel="portal")

    def _ledd_support_scope(self):
        return request.env["ledd.support.scope"]

    def _ledd_login_help_person_or_404(self, partner_id):
        """The person (sudo) if the current user may help them, else 404.

        The same check as the actions (scope and anti-escalation): a peer, a
        leader or anyone else the actions would refuse has no page, so their
        login, email and help history are not shown."""
        person = self._ledd_support_scope()._ledd_may_help(partner_id)
        if not person:
            raise NotFound()
        return person

    def _ledd_not_found_response(self):
        """A 404 page returned, not raised: raising (``NotFound``, or returning
        ``request.not_found()``, which Odoo raises again) rolls back the
        request's transaction, and with it the refusal just written to the
        audit log."""
        return request.render("http_routing.404", status=404)

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["ledd_can_help_login"] = bool(self._ledd_support_scope()._ledd_support_domain())
        return values

    @http.route(
        ["/my/login-help", "/my/login-help/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_ledd_login_help(self, page=1, search="", **kw):
        domain = self._ledd_support_scope()._ledd_support_domain()
        if not domain:
            raise NotFound()
        values = self._ledd_people_page(domain, "/my/login-help", page, search, step=PEOPLE_PER_PAGE)
        values["page_name"] = "ledd_login_help"
        return request.render("ledd_support.portal_login_help", values)

    def _ledd_render_person(self, person, result=None, new_email="", reason=""):
        service = self._ledd_support_service()
        findings = service.diagnose(person.id)
        values = {
            "page_name": "ledd_login_help_person",
            "person": person,
            "person_user": person.with_context(active_test=False).user_ids[:1],
            "findings": findings,
            "actions": service._ledd_available_actions(person.id, findings),
            # As the user: the log's record rules decide which rows they read.
            "history": request.env["ledd.support.log"].search(
                [("target_partner_id", "=", person.id)], limit=HISTORY_ROWS
            ),
            "result": result,
            "new_email": new_email,
            "reason": reason,
        }
        return request.render("ledd_support.portal_login_help_person", values)

    @http.route("/my/login-help/<int:partner_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_ledd_login_help_person(self, partner_id, **kw):
        return self._ledd_render_person(self._ledd_login_help_person_or_404(partner_id))

    @http.route(
        "/my/login-help/<int:partner_id>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_ledd_login_help_action(self, partner_id, action, new_email="", reason="", **kw):
        """Every attempt goes to the service, which checks and logs it, also for
        a person outside the scope: their refusal is on record, then the answer
        is the same 404 as for an id that does not exist."""
        if action not in ACTIONS:
            raise NotFound()
        new_email = (new_email or "").strip()[:254]
        reason = (reason or "").strip()[:500]
        service = self._ledd_support_service()
        if action == "change_email":
            result = service.change_email(partner_id, new_email, reason)
        else:
            result = getattr(service, action)(partner_id, reason)
        person = self._ledd_support_scope()._ledd_may_help(partner_id)
        if not person:
            return self._ledd_not_found_response()
        if result["ok"]:
            new_email = reason = ""
        return self._ledd_render_person(person, result=result, new_email=new_email, reason=reason)
