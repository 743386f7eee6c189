import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

VENDOR_EMAIL_PARAM = "ledd_support.vendor_email"
ESCALATION_BATCH = 200


class LeddSupportRequest(models.Model):
    _inherit = "ledd.support.request"

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

    def _route_unit(self):
        self.ensure_one()
        return self._nearest_unit_with_superuser(self.unit_id)

    @api.model
    def _add_hours(self, start, hours, calendar):
        if not hours:
            return False
        if calendar:
            return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)
        return start + timedelta(hours=hours)

    def _assign_to(self, unit, reason, vendor=False, note=False):
        """Hand the request to ``unit`` (or the vendor), set the new deadlines,
        record the hop and notify both levels."""
        now = fields.Datetime.now()
        for request in self:
            previous = request.handling_unit_id
            response_hours, solve_hours, calendar = unit._support_policy() if unit else (0, 0, False)
            values = {
                "handling_unit_id": unit.id,
                "date_assigned": now,
                "date_response_deadline": False
                if vendor or request.date_first_response
                else request._add_hours(now, response_hours, calendar),
                "date_solve_deadline": False if vendor else request._add_hours(now, solve_hours, calendar),
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
                self.env["ledd.support.request.hop"].sudo().create(
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
            request.with_context(ledd_support_escalation=True).write(values)
            request._notify_handlers(previous if reason else False, vendor=vendor, reason=reason)

    def _notify_handlers(self, previous_unit, vendor=False, reason=False):
        self.ensure_one()
        partners = self.handling_unit_id._support_superusers()
        if previous_unit:
            partners |= previous_unit._support_superusers()
        if not reason:
            body = self.env._("New request for %(unit)s: %(title)s", unit=self.handling_unit_id.name, title=self.name)
        elif vendor:
            body = self.env._("Escalated to the vendor's support: nobody at the national level acted in time.")
        else:
            body = self.env._(
                "Escalated from %(from)s to %(to)s: %(why)s",
                **{
                    "from": previous_unit.name,
                    "to": self.handling_unit_id.name,
                    "why": dict(
                        self.env["ledd.support.request.hop"]._fields["reason"]._description_selection(self.env)
                    )[reason],
                },
            )
        if partners:
            self.message_subscribe(partner_ids=partners.ids)
        self.message_post(body=body, partner_ids=partners.ids, subtype_xmlid="mail.mt_note")
        if vendor:
            vendor_email = self.env["ir.config_parameter"].sudo().get_param(VENDOR_EMAIL_PARAM)
            if vendor_email:
                self.env["mail.mail"].sudo().create(
                    {
                        "subject": self.env._("[Ledd] Support request %(id)s: %(title)s", id=self.id, title=self.name),
                        "body_html": self.description or body,
                        "email_to": vendor_email,
                        "model": self._name,
                        "res_id": self.id,
                    }
                )

    def _next_level(self):
        """The unit to escalate to, or None for the vendor, or False when done."""
        self.ensure_one()
        if self.handled_by_vendor:
            return False
        parent = self.handling_unit_id.parent_id
        if not parent:
            return None
        return self._nearest_unit_with_superuser(parent)

    def _escalate(self, reason, note=False):
        for request in self:
            target = request._next_level()
            if target is False:
                continue
            if target is None:
                request._assign_to(request.handling_unit_id, reason, vendor=True, note=note)
            else:
                request._assign_to(target, reason, note=note)

    def action_escalate(self):
        """A handler passes the request on to the next level now."""
        for request in self:
            if not request._is_handler(self.env.user):
                raise AccessError(self.env._("Only the handlers of a request may escalate it."))
            if request._next_level() is False:
                raise UserError(self.env._("The request is already with the vendor."))
        self.sudo()._escalate("manual")
        return True

    @api.model
    def _escalation_domains(self, now):
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
        no_response_domain, not_solved_domain = self._escalation_domains(now)
        no_response = self.search(no_response_domain, limit=batch_size, order="id")
        no_response._escalate("no_response")
        not_solved = self.search(not_solved_domain + [("id", "not in", no_response.ids)], limit=batch_size, order="id")
        not_solved._escalate("not_solved")
        done = len(no_response) + len(not_solved)
        remaining = self.search_count(no_response_domain) + self.search_count(not_solved_domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if done:
            _logger.info("ledd_support: escalated %s request(s), %s left", done, remaining)
        return done
