from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

REQUESTS_PER_PAGE = 20
TITLE_MAX = 200
DESCRIPTION_MAX = 10000


class LeddRequestPortal(CustomerPortal):
    """ "Report a problem or suggest an improvement" on /my, and for portal
    superusers the requests their units handle."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ledd_request_count" in counters:
            requests = request.env["ledd.request"].sudo()
            values["ledd_request_count"] = requests.search_count(
                requests._visible_domain(request.env.user) + [("is_open", "=", True)]
            )
        return values

    def _ledd_request_or_404(self, request_id):
        requests = request.env["ledd.request"].sudo()
        record = requests.search(requests._visible_domain(request.env.user) + [("id", "=", int(request_id))])
        if not record:
            raise NotFound()
        return record

    @http.route(["/my/requests", "/my/requests/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_requests(self, page=1, show="open", **kw):
        user = request.env.user
        requests = request.env["ledd.request"].sudo()
        domain = requests._visible_domain(user)
        if show == "open":
            domain += [("is_open", "=", True)]
        count = requests.search_count(domain)
        pager = portal_pager(
            url="/my/requests", url_args={"show": show}, total=count, page=page, step=REQUESTS_PER_PAGE
        )
        records = requests.search(domain, limit=REQUESTS_PER_PAGE, offset=pager["offset"])
        return request.render(
            "ledd_request.portal_my_requests",
            {
                "page_name": "ledd_requests",
                "ledd_requests": records,
                "pager": pager,
                "show": show,
                "partner": user.partner_id,
            },
        )

    def _request_form_values(self, error=None, values=None):
        types = request.env["ledd.request"]._fields["request_type"]._description_selection(request.env)
        return {
            "page_name": "ledd_request_new",
            "request_types": types,
            "error": error or {},
            "values": values or {},
        }

    @http.route("/my/requests/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_request_new(self, **kw):
        return request.render("ledd_request.portal_request_new", self._request_form_values())

    @http.route("/my/requests/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_request_create(self, **post):
        env = request.env
        title = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        request_type = post.get("request_type")
        valid_types = dict(env["ledd.request"]._fields["request_type"]._description_selection(env))
        error = {}
        if not title:
            error["name"] = env._("Give the request a short title.")
        elif len(title) > TITLE_MAX:
            error["name"] = env._("The title is too long (at most %(max)s characters).", max=TITLE_MAX)
        if request_type not in valid_types:
            error["request_type"] = env._("Choose what kind of request this is.")
        if len(description) > DESCRIPTION_MAX:
            error["description"] = env._("The description is too long.")
        if error:
            return request.render(
                "ledd_request.portal_request_new", self._request_form_values(error=error, values=post)
            )
        partner = env.user.partner_id
        record = (
            env["ledd.request"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "name": title,
                    "description": description and plaintext2html(description),
                    "request_type": request_type,
                    "requester_partner_id": partner.id,
                    "partner_id": partner.id,
                }
            )
        )
        attachment = request.httprequest.files.get("attachment")
        if attachment and attachment.filename:
            env["ir.attachment"].sudo().create(
                {
                    "name": attachment.filename,
                    "raw": attachment.read(),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        return request.redirect(f"/my/requests/{record.id}?created=1")

    @http.route("/my/requests/<int:request_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_request_page(self, request_id, created=None, **kw):
        record = self._ledd_request_or_404(request_id)
        messages = self._ledd_request_messages(record)
        return request.render(
            "ledd_request.portal_request_page",
            {
                "page_name": "ledd_request",
                "ledd_request": record,
                "messages": messages,
                "is_handler": record._is_handler(request.env.user),
                "is_requester": record.requester_partner_id == request.env.user.partner_id,
                "created": created,
                "error": kw.get("error"),
            },
        )

    def _ledd_request_messages(self, record):
        """The messages of ``record`` the user may read in the portal: what
        Odoo's own portal chatter shows. Whoever is no employee (requesters,
        portal superusers) sees no log notes and nothing internal."""
        Message = request.env["mail.message"].sudo()
        domain = [
            ("model", "=", record._name),
            ("res_id", "=", record.id),
            ("message_type", "in", ("comment", "email")),
        ]
        if not request.env.user._is_internal():
            domain = expression.AND([Message._get_search_domain_share(), domain])
        return Message.search(domain, order="id")

    @http.route("/my/requests/<int:request_id>/reply", type="http", auth="user", website=True, methods=["POST"])
    def portal_request_reply(self, request_id, body="", **kw):
        record = self._ledd_request_or_404(request_id)
        body = (body or "").strip()
        if not body:
            return request.redirect(f"/my/requests/{record.id}?error=empty")
        record.with_user(request.env.user).sudo().message_post(
            body=plaintext2html(body[:DESCRIPTION_MAX]),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return request.redirect(f"/my/requests/{record.id}#ledd_request_messages")

    @http.route("/my/requests/<int:request_id>/state", type="http", auth="user", website=True, methods=["POST"])
    def portal_request_state(self, request_id, action="", **kw):
        record = self._ledd_request_or_404(request_id)
        allowed = {
            "take": "action_take",
            "wait": "action_wait",
            "solve": "action_solve",
            "escalate": "action_escalate",
            "close": "action_close",
            "confirm_sender": "action_confirm_sender",
        }
        if action not in allowed:
            raise NotFound()
        user = request.env.user
        if action != "close" and not record._is_handler(user):
            raise NotFound()
        if action == "close" and not (record._is_handler(user) or record.requester_partner_id == user.partner_id):
            raise NotFound()
        try:
            # Act as the user (their name in the chatter), past the ACL portal users lack.
            getattr(record.with_user(user).sudo(), allowed[action])()
        except AccessError as exc:
            raise NotFound() from exc
        return request.redirect(f"/my/requests/{record.id}")
