from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MEMBERS_PER_PAGE = 40


class LeddOrganisationPortal(CustomerPortal):
    """ "My organisation" on /my: my units, my roles, who can help me, and for
    holders of a role that sees members, the members of their units."""

    def _ledd_my_members_domain(self):
        """What the member pages show: the members of the units where the user
        holds a role that sees members. Which of them the user may read is for the
        record rules to say; this is the subject of the pages, as a portal user may
        read other contacts too (their company's, by Odoo's own rule). Staff have
        no list here and open the members their rules give them."""
        user = request.env.user
        if not user.share:
            return [("ledd_is_member", "=", True)]
        return [("ledd_is_member", "=", True), ("ledd_unit_id", "child_of", user.ledd_scope_unit_ids.ids)]

    def _ledd_member_or_404(self, partner_id):
        """The member with this id (sudo, as ``_document_check_access`` returns
        it) if the current user may read them and the pages show them, else 404:
        for a missing id and a refused one alike."""
        try:
            member = self._document_check_access("res.partner", partner_id)
        except (AccessError, MissingError) as refusal:
            raise NotFound() from refusal
        if not request.env["res.partner"].search_count([("id", "=", member.id), *self._ledd_my_members_domain()]):
            raise NotFound()
        return member

    def _ledd_people_page(self, domain, url, page=1, search="", step=MEMBERS_PER_PAGE):
        """One page of the people matching ``domain``, searched by name, email or
        phone, as the current user: the record rules decide whom they see, the
        domain only says what the page lists. Serves the member list here and
        the people lists of other Ledd addons."""
        search = (search or "").strip()[:100]
        if search:
            domain = domain + [
                "|",
                "|",
                ("name", "ilike", search),
                ("email", "ilike", search),
                ("phone", "ilike", search),
            ]
        partners = request.env["res.partner"]
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
        if not request.env.user.ledd_scope_unit_ids:
            raise NotFound()
        found = self._ledd_people_page(self._ledd_my_members_domain(), "/my/organisation/members", page, search)
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
        return request.render(
            "ledd_base.portal_my_member",
            {"page_name": "ledd_member", "member": member, "member_roles": member.ledd_role_ids},
        )
