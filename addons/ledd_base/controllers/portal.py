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

    def _ledd_people_page(self, domain, url, page=1, search="", step=MEMBERS_PER_PAGE):
        """One page of the people matching ``domain`` (already limited to the
        caller's scope), searched by name, email or phone; read with sudo.
        Serves the member list here and the people lists of other Ledd addons."""
        search = (search or "").strip()[:100]
        if search:
            domain = domain + [
                "|",
                "|",
                ("name", "ilike", search),
                ("email", "ilike", search),
                ("phone", "ilike", search),
            ]
        partners = request.env["res.partner"].sudo()
        count = partners.search_count(domain)
        pager = portal_pager(
            url=url,
            url_args={"search": search} if search else {},
            total=count,
            page=page,
            step=step,
        )
        people = partners.search(domain, order="name, id", limit=step, offset=pager["offset"])
        return {"people": people, "people_count": count, "pager": pager, "search": search}

    def _prepare_ledd_organisation_values(self):
        user = request.env.user
        partner = user.partner_id
        roles = (
            request.env["ledd.role"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", partner.id), ("active", "=", True)])
        )
        # held today by their dates, as rights are: the stored is_current waits for the nightly cron
        current_roles = roles.filtered_domain(roles._current_on_date_domain(roles._ledd_today()))
        home = partner.sudo().ledd_unit_id
        return {
            "page_name": "ledd_organisation",
            "home_unit": home,
            "my_units": (home | current_roles.unit_id).sorted("complete_name"),
            "current_roles": current_roles,
            "past_roles": roles - current_roles,
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
        found = self._ledd_people_page(user._ledd_member_domain(), "/my/organisation/members", page, search)
        values = {
            "page_name": "ledd_members",
            "members": found["people"],
            "member_count": found["people_count"],
            "pager": found["pager"],
            "search": found["search"],
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
