import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

VENDOR_EMAIL_PARAM = "ledd_request.vendor_email"
ESCALATION_BATCH = 200


class LeddRequestRouter(models.AbstractModel):
    """The escalation ladder: where a request goes, by when someone must act on
    it there, and where it goes next when nobody did.

    A request goes to the nearest unit, from the person's own upwards, that has
    a current superuser. Each unit gives it a time to first response and a time
    to solve (the unit's own or its level's, in the working hours of a calendar
    when one is set); when one of them passes, the request climbs to the next
    unit above with a superuser, and above the top to the vendor's support.
    Every climb is a hop on record, and both levels are told.

    The methods are private: the callers decide who may move a request (its
    handlers for a manual escalation, the cron for the deadlines) and the ladder
    then acts with ``sudo()``, as the move is nobody's own write."""

    _name = "ledd.request.router"
    _description = "Support Request Routing and Escalation"

    @api.model
    def _route(self, requests):
        """Hand new requests to the nearest unit of their person with a superuser."""
        for request in requests:
            self._assign(request, self._nearest_unit_with_superuser(request.unit_id), reason=False)

    @api.model
    def _nearest_unit_with_superuser(self, unit):
        """``unit`` or its nearest ancestor with a current superuser; else the top."""
        if not unit:
            return self.env["ledd.unit"].sudo().search([("parent_id", "=", False)], order="id", limit=1)
        ancestor_ids = [int(unit_id) for unit_id in unit.sudo().parent_path.split("/")[:-1]]
        roles = self.env["ledd.role"].sudo()
        covered = set(
            roles._read_group(
                [
                    ("unit_id", "in", ancestor_ids),
                    ("role_type_id.is_superuser", "=", True),
                    *roles._current_on_date_domain(roles._ledd_today()),
                ],
                ["unit_id"],
            )
        )
        for unit_id in reversed(ancestor_ids):
            if any(group_unit.id == unit_id for (group_unit,) in covered):
                return self.env["ledd.unit"].sudo().browse(unit_id)
        return self.env["ledd.unit"].sudo().browse(ancestor_ids[0])

    @api.model
    def _deadline(self, start, hours, calendar):
        """``hours`` after ``start``, in the calendar's working hours when there is one."""
        if not hours:
            return False
        if calendar:
            return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)
        return start + timedelta(hours=hours)

    @api.model
    def _assign(self, requests, unit, reason, vendor=False, note=False):
        """Hand ``requests`` to ``unit`` (or the vendor), set the new deadlines,
        record the hop (``reason`` set: an escalation) and notify both levels."""
        now = fields.Datetime.now()
        for request in requests.sudo():
            previous = request.handling_unit_id
            response_hours, solve_hours, calendar = unit._request_policy() if unit else (0, 0, False)
            values = {
                "handling_unit_id": unit.id,
                "date_assigned": now,
                "date_response_deadline": False
                if vendor or request.date_first_response
                else self._deadline(now, response_hours, calendar),
                "date_solve_deadline": False if vendor else self._deadline(now, solve_hours, calendar),
            }
            if reason:
                values.update(
                    {
                        "escalation_count": request.escalation_count + 1,
                        "handled_by_vendor": vendor,
                        "state": "escalated" if request.state in ("new", "escalated") else request.state,
                        "user_ids": [fields.Command.clear()],
                    }
                )
                self.env["ledd.request.hop"].sudo().create(
                    {
                        "request_id": request.id,
                        "from_unit_id": previous.id,
                        "to_unit_id": unit.id,
                        "to_vendor": vendor,
                        "date": now,
                        "reason": reason,
                        "note": note,
                    }
                )
            # escalation is no response by a person: skip the handler checks
            request.with_context(ledd_request_escalation=True).write(values)
            self._notify(request, previous if reason else False, vendor=vendor, reason=reason)

    @api.model
    def _notify(self, request, previous_unit, vendor=False, reason=False):
        """Tell the superusers of the unit that has the request now (and of the
        one it came from); mail the vendor when it goes to them."""
        partners = request.handling_unit_id._request_superusers()
        if previous_unit:
            partners |= previous_unit._request_superusers()
        if not reason:
            body = self.env._(
                "New request for %(unit)s: %(title)s", unit=request.handling_unit_id.name, title=request.name
            )
        elif vendor:
            body = self.env._("Escalated to the vendor's support: nobody at the national level acted in time.")
        else:
            reasons = dict(self.env["ledd.request.hop"]._fields["reason"]._description_selection(self.env))
            body = self.env._(
                "Escalated from %(from)s to %(to)s: %(why)s",
                **{"from": previous_unit.name, "to": request.handling_unit_id.name, "why": reasons[reason]},
            )
        if partners:
            request.message_subscribe(partner_ids=partners.ids)
        request.message_post(body=body, partner_ids=partners.ids, subtype_xmlid="mail.mt_note")
        vendor_email = vendor and self.env["ir.config_parameter"].sudo().get_param(VENDOR_EMAIL_PARAM)
        if vendor_email:
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._(
                        "[Ledd] Support request %(id)s: %(title)s", id=request.id, title=request.name
                    ),
                    "body_html": request.description or body,
                    "email_to": vendor_email,
                    "model": request._name,
                    "res_id": request.id,
                }
            )

    @api.model
    def _next_level(self, request):
        """The unit to escalate ``request`` to, or None for the vendor, or False when done."""
        if request.handled_by_vendor:
            return False
        parent = request.handling_unit_id.sudo().parent_id
        if not parent:
            return None
        return self._nearest_unit_with_superuser(parent)

    @api.model
    def _escalate(self, requests, reason, note=False):
        """Move each of ``requests`` one step up the ladder."""
        for request in requests.sudo():
            target = self._next_level(request)
            if target is False:
                continue
            if target is None:
                self._assign(request, request.handling_unit_id, reason, vendor=True, note=note)
            else:
                self._assign(request, target, reason, note=note)

    @api.model
    def _escalation_domains(self, now):
        """Requests past their response deadline without a response, and past
        their solve deadline unsolved, that are still on the ladder."""
        no_response = [
            ("state", "in", ("new", "escalated")),
            ("date_first_response", "=", False),
            ("date_response_deadline", "<", now),
            ("handled_by_vendor", "=", False),
        ]
        not_solved = [
            ("state", "in", ("new", "escalated", "in_progress")),
            ("date_solve_deadline", "<", now),
            ("handled_by_vendor", "=", False),
        ]
        return no_response, not_solved

    @api.model
    def _cron_escalate(self, batch_size=ESCALATION_BATCH):
        """Move requests nobody picked up, or nobody solved, in time one level up.

        Each deadline triggers once: escalation sets the next level's deadlines.
        One batch per run; the cron runs again at once while work remains."""
        now = fields.Datetime.now()
        requests = self.env["ledd.request"].sudo()
        no_response_domain, not_solved_domain = self._escalation_domains(now)
        no_response = requests.search(no_response_domain, limit=batch_size, order="id")
        self._escalate(no_response, "no_response")
        not_solved = requests.search(
            not_solved_domain + [("id", "not in", no_response.ids)], limit=batch_size, order="id"
        )
        self._escalate(not_solved, "not_solved")
        done = len(no_response) + len(not_solved)
        remaining = requests.search_count(no_response_domain) + requests.search_count(not_solved_domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if done:
            _logger.info("ledd_request: escalated %s request(s), %s left", done, remaining)
        return done
