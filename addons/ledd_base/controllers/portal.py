from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MEMBERS_PER_PAGE = 40


class LeddOrganisationPortal(CustomerPortal):
    """ "My organisation" on /my: my units, my roles, who can help me, and for
    holders of a role that sees members, the members of their units."""

    def _ledd_member_or_404(self, partner_id):
        """The member with this id if the current user's scope covers them, read
        with sudo (portal users have no read access of their own); else 404."""
        member = request.env.user._ledd_member_in_scope(partner_id)
        if not member:
            raise NotFound()
        return member

    def _prepare_ledd_organisation_values(self):
        user = request.env.user
        partner = user.partner_id
        roles = (
            request.env["ledd.role"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", partner.id), ("active", "=", True)])
        )
        home = partner.sudo().ledd_unit_id
        return {
            "page_name": "ledd_organisation",
            "home_unit": home,
            "my_units": (home | roles.filtered("is_current").unit_id).sorted("complete_name"),
            "current_roles": roles.filtered("is_current"),
            "past_roles": roles.filtered(lambda role: not role.is_current),
            "help_roles": home._get_help_contacts() if home else roles.browse(),
            "sees_members": bool(user.ledd_scope_unit_ids),
        }

    @http.route("/my/organisation", type="http", auth="user", website=True)
    def portal_my_organisation(self, **kw):
        return request.render("ledd_base.portal_my_organisation", self._prepare_ledd_organisation_values())

    @http.route(
        ["/my/organisation/members", "/my/organisation/members/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_members(self, page=1, search="", **kw):
        user = request.env.user
        if not user.ledd_scope_unit_ids:
            raise NotFound()
        search = (search or "").strip()[:100]
        domain = user._ledd_member_domain()
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("email", "ilike", search),
                ("phone", "ilike", search),
            ]
        partners = request.env["res.partner"].sudo()
        count = partners.search_count(domain)
        pager = portal_pager(
            url="/my/organisation/members",
            url_args={"search": search} if search else {},
            total=count,
            page=page,
            step=MEMBERS_PER_PAGE,
        )
        members = partners.search(domain, order="name, id", limit=MEMBERS_PER_PAGE, offset=pager["offset"])
        values = {
            "page_name": "ledd_members",
            "members": members,
            "member_count": count,
            "pager": pager,
            "search": search,
        }
        return request.render("ledd_base.portal_my_members", values)

    @http.route("/my/organisation/members/<int:partner_id>", type="http", auth="user", website=True)
    def portal_my_member(self, partner_id, **kw):
        member = self._ledd_member_or_404(partner_id)
        roles = request.env["ledd.role"].sudo().search([("partner_id", "=", member.id)])
        return request.render(
            "ledd_base.portal_my_member",
            {"page_name": "ledd_member", "member": member, "member_roles": roles},
        )
