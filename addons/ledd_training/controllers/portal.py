from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PEOPLE_PER_PAGE = 40
CURRENT_STATES = ("due", "overdue", "done", "waived")


class LeddTrainingPortal(CustomerPortal):
    """ "My training" on /my: what my roles require of me, by when, my progress
    and my onboarding checklist; for leaders, the status of their people."""

    def _ledd_training_scope(self):
        """Units whose people's training the current user follows up (empty: none)."""
        return request.env.user.ledd_scope_subtree_unit_ids

    def _ledd_training_of(self, partner, units=None):
        """Assignments and checklist lines of ``partner`` (sudo: read after the
        scope check of the caller), limited to ``units`` when given."""
        domain = [("partner_id", "=", partner.id)]
        if units is not None:
            domain.append(("unit_id", "in", units.ids))
        assignments = request.env["ledd.training.assignment"].sudo().search(domain, order="date_due, id")
        lines = (
            request.env["ledd.onboarding.line"]
            .sudo()
            .search([*domain, ("role_id.is_current", "=", True)], order="role_id, sequence, id")
        )
        lines._refresh()
        return {
            "current": assignments.filtered(lambda assignment: assignment.state in CURRENT_STATES),
            "history": assignments.filtered(lambda assignment: assignment.state in ("done", "expired")).sorted(
                lambda assignment: (assignment.date_done or assignment.create_date.date()), reverse=True
            ),
            "lines": lines,
        }

    def _ledd_training_person_or_404(self, partner_id):
        """A person with training in the current user's scope, else 404."""
        scope = self._ledd_training_scope()
        if not scope:
            raise NotFound()
        env = request.env
        domain = [("partner_id", "=", partner_id), ("unit_id", "in", scope.ids)]
        if not (
            env["ledd.training.assignment"].sudo().search_count(domain, limit=1)
            or env["ledd.onboarding.line"].sudo().search_count(domain, limit=1)
        ):
            raise NotFound()
        return env["res.partner"].sudo().browse(partner_id)

    @http.route("/my/training", type="http", auth="user", website=True)
    def portal_my_training(self, **kw):
        values = self._ledd_training_of(request.env.user.partner_id)
        values.update({"page_name": "ledd_training", "follows_people": bool(self._ledd_training_scope())})
        return request.render("ledd_training.portal_my_training", values)

    @http.route(
        ["/my/training/people", "/my/training/people/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_training_people(self, page=1, **kw):
        scope = self._ledd_training_scope()
        if not scope:
            raise NotFound()
        assignments = request.env["ledd.training.assignment"].sudo()
        domain = [("unit_id", "in", scope.ids), ("state", "in", CURRENT_STATES), ("mandatory", "=", True)]
        people = [partner for [partner] in assignments._read_group(domain, ["partner_id"], order="partner_id")]
        pager = portal_pager(url="/my/training/people", total=len(people), page=page, step=PEOPLE_PER_PAGE)
        people = people[pager["offset"] : pager["offset"] + PEOPLE_PER_PAGE]
        counts = {
            (partner.id, state): count
            for partner, state, count in assignments._read_group(
                [*domain, ("partner_id", "in", [partner.id for partner in people])],
                ["partner_id", "state"],
                ["__count"],
            )
        }
        rows = [
            {
                "partner": partner,
                "done": counts.get((partner.id, "done"), 0) + counts.get((partner.id, "waived"), 0),
                "due": counts.get((partner.id, "due"), 0),
                "overdue": counts.get((partner.id, "overdue"), 0),
            }
            for partner in sorted(people, key=lambda partner: partner.name or "")
        ]
        return request.render(
            "ledd_training.portal_my_training_people",
            {"page_name": "ledd_training_people", "rows": rows, "pager": pager},
        )

    @http.route("/my/training/people/<int:partner_id>", type="http", auth="user", website=True)
    def portal_my_training_person(self, partner_id, **kw):
        person = self._ledd_training_person_or_404(partner_id)
        values = self._ledd_training_of(person, units=self._ledd_training_scope())
        values.update({"page_name": "ledd_training_person", "person": person, "error": kw.get("error")})
        return request.render("ledd_training.portal_my_training_person", values)

    @http.route(
        "/my/training/people/<int:partner_id>/tick",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_training_tick(self, partner_id, line_id=None, done="1", **kw):
        person = self._ledd_training_person_or_404(partner_id)
        try:
            line = request.env["ledd.onboarding.line"].browse(int(line_id))
        except (TypeError, ValueError) as exc:
            raise NotFound() from exc
        if not line.sudo().exists() or line.sudo().partner_id != person:
            raise NotFound()
        try:
            if done == "1":
                line.action_tick()
            else:
                line.action_untick()
        except AccessError as exc:
            raise NotFound() from exc
        except UserError:
            return request.redirect(f"/my/training/people/{person.id}?error=automatic")
        return request.redirect(f"/my/training/people/{person.id}")
