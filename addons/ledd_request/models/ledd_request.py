from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OPEN_STATES = ("new", "escalated", "in_progress", "waiting")


class LeddRequest(models.Model):
    """A problem, question or wish, from the portal, the backend or the support
    alias, and its way to an answer: the handlers' states, the first response
    and the solution as they happen. Where it goes and when it moves on is the
    escalation ladder's (``ledd.request.router``); whether a mail's sender is
    who they say is the sender mixin's (``ledd.mail.sender.mixin``)."""

    _name = "ledd.request"
    _description = "Support Request"
    _inherit = ["mail.thread.cc", "mail.activity.mixin", "ledd.mail.sender.mixin"]
    _order = "priority desc, create_date desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(string="Title", required=True, tracking=True)
    description = fields.Html()
    request_type = fields.Selection(
        [
            ("login", "Login problem"),
            ("error", "Error in the system"),
            ("question", "Question"),
            ("wish", "Wish or need"),
        ],
        string="Type",
        required=True,
        default="question",
        tracking=True,
        index=True,
    )
    requester_partner_id = fields.Many2one(
        "res.partner",
        string="Requester",
        index=True,
        ondelete="set null",
        help="Who reported the request. Replies by anyone else count as a response.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Person Concerned",
        index=True,
        ondelete="set null",
        tracking=True,
        help="The person the request is about; by default the requester.",
    )
    unit_id = fields.Many2one(
        "ledd.unit",
        string="Unit of the Person",
        index=True,
        ondelete="set null",
        help="Home unit of the person concerned when the request was made.",
    )
    handling_unit_id = fields.Many2one(
        "ledd.unit",
        string="Handling Unit",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The unit whose superusers handle the request now. Escalation moves it up the tree.",
    )
    handling_level_id = fields.Many2one(
        related="handling_unit_id.type_id", string="Handling Level", store=True, index=True
    )
    handled_by_vendor = fields.Boolean(
        string="With Vendor",
        tracking=True,
        help="The national level handed the request over to the vendor's support.",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Handlers",
        help="The people working on the request. Empty: any superuser of the handling unit.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("escalated", "Escalated"),
            ("in_progress", "In Progress"),
            ("waiting", "Waiting for Requester"),
            ("solved", "Solved"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")],
        default="0",
        index=True,
    )
    date_assigned = fields.Datetime(
        string="At This Level Since",
        help="When the handling unit received the request (creation or last escalation).",
    )
    date_response_deadline = fields.Datetime(string="Respond By", index=True)
    date_solve_deadline = fields.Datetime(string="Solve By", index=True)
    date_first_response = fields.Datetime(
        string="First Response",
        readonly=True,
        help="First public reply or state change by someone other than the requester.",
    )
    date_solved = fields.Datetime(string="Solved On", readonly=True)
    response_hours = fields.Float(
        string="Hours to First Response",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
    )
    solve_hours = fields.Float(string="Hours to Solve", compute="_compute_durations", store=True, aggregator="avg")
    escalation_count = fields.Integer(string="Hops", readonly=True, aggregator="sum")
    hop_ids = fields.One2many("ledd.request.hop", "request_id", string="Escalations")
    decision = fields.Selection(
        [("planned", "Planned"), ("not_now", "Not Now"), ("done", "Done")],
        tracking=True,
        help="For wishes: what the business owner decided. The requester sees it.",
    )
    decision_note = fields.Text(help="Why, and when: shown to the requester with the decision.")
    merged_into_id = fields.Many2one(
        "ledd.request",
        string="Merged Into",
        readonly=True,
        ondelete="set null",
        help="This request duplicates the one named here, where the discussion goes on.",
    )
    duplicate_ids = fields.One2many("ledd.request", "merged_into_id", string="Duplicates")
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("create_date", "date_first_response", "date_solved")
    def _compute_durations(self):
        for request in self:
            start = request.create_date
            request.response_hours = (
                (request.date_first_response - start).total_seconds() / 3600
                if start and request.date_first_response
                else 0.0
            )
            request.solve_hours = (
                (request.date_solved - start).total_seconds() / 3600 if start and request.date_solved else 0.0
            )

    def _compute_is_open(self):
        for request in self:
            request.is_open = request.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        positive = (operator == "=") == bool(value)
        return [("state", "in" if positive else "not in", list(OPEN_STATES))]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("requester_partner_id") and not self.env.su:
                vals["requester_partner_id"] = self.env.user.partner_id.id
            if not vals.get("partner_id"):
                vals["partner_id"] = vals.get("requester_partner_id")
            if vals.get("partner_id") and not vals.get("unit_id"):
                vals["unit_id"] = self.env["res.partner"].sudo().browse(vals["partner_id"]).ledd_unit_id.id
        requests = super().create(vals_list)
        self.env["ledd.request.router"]._route(requests.filtered(lambda r: not r.handling_unit_id))
        for request in requests:
            if request.requester_partner_id:
                request.message_subscribe(partner_ids=request.requester_partner_id.ids)
        return requests

    def write(self, vals):
        if "state" in vals:
            if not self.env.context.get("ledd_request_escalation"):
                self._check_state_change(vals["state"])
                self._mark_first_response()
            if vals["state"] == "solved":
                vals.setdefault("date_solved", fields.Datetime.now())
            elif vals["state"] in OPEN_STATES:
                vals.setdefault("date_solved", False)
        return super().write(vals)

    def _check_state_change(self, new_state):
        if self.env.su or self.env.user.has_group("ledd_base.group_manager"):
            return
        partner = self.env.user.partner_id
        for request in self:
            if request._is_handler(self.env.user):
                continue
            # The requester may only close their own request or reopen it by replying.
            if request.requester_partner_id == partner and new_state in ("closed", "in_progress"):
                continue
            raise AccessError(
                self.env._("Only the handlers of %(request)s may change its state.", request=request.name)
            )

    def _is_handler(self, user):
        self.ensure_one()
        if user.has_group("ledd_base.group_manager"):
            return True
        support_units = user.ledd_support_unit_ids
        if not support_units or not self.handling_unit_id:
            return False
        ancestor_ids = {int(unit_id) for unit_id in self.handling_unit_id.sudo().parent_path.split("/")[:-1]}
        return bool(ancestor_ids & set(support_units.ids))

    def _ledd_sender_partner(self):
        return self.requester_partner_id

    def _ledd_may_confirm_sender(self, user):
        return self._is_handler(user)

    def _mark_first_response(self):
        """Someone other than the requester answered or moved the request."""
        partner = self.env.user.partner_id
        todo = self.filtered(lambda r: not r.date_first_response and r.requester_partner_id != partner)
        if todo:
            todo.sudo().write({"date_first_response": fields.Datetime.now()})

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        is_public = message.message_type in ("comment", "email") and message.subtype_id == self.env.ref(
            "mail.mt_comment"
        )
        if is_public and message.author_id:
            todo = self.filtered(lambda r: not r.date_first_response and r.requester_partner_id != message.author_id)
            if todo:
                todo.sudo().write({"date_first_response": fields.Datetime.now()})
            # A reply from the requester to a request waiting for them brings it back.
            back = self.filtered(lambda r: r.state == "waiting" and r.requester_partner_id == message.author_id)
            if back:
                back.sudo().write({"state": "in_progress"})
        return res

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the support alias: a new request from the sender.

        The sender becomes the requester; whether it is verified is the
        sender mixin's business (``ledd.mail.sender.mixin``)."""
        values = dict(custom_values or {})
        partner_ids = [pid for pid in self._mail_find_partner_from_emails([msg_dict.get("email_from")]) if pid]
        partner = partner_ids[0] if partner_ids else self.env["res.partner"]
        values.setdefault("name", msg_dict.get("subject") or self.env._("Request by email"))
        values.setdefault("description", msg_dict.get("body"))
        if partner:
            values.setdefault("requester_partner_id", partner.id)
        return super().message_new(msg_dict, custom_values=values)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for request in self:
            if request.requester_partner_id:
                request._message_add_suggested_recipient(
                    recipients, partner=request.requester_partner_id, reason=self.env._("Requester")
                )
        return recipients

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_take(self):
        for request in self:
            request.write({"state": "in_progress", "user_ids": [fields.Command.link(self.env.user.id)]})
        return True

    def action_wait(self):
        return self.write({"state": "waiting"})

    def action_solve(self):
        return self.write({"state": "solved"})

    def action_close(self):
        return self.write({"state": "closed"})

    def action_reopen(self):
        return self.write({"state": "in_progress"})

    def action_escalate(self):
        """A handler passes the request on to the next level now."""
        router = self.env["ledd.request.router"]
        for request in self:
            if not request._is_handler(self.env.user):
                raise AccessError(self.env._("Only the handlers of a request may escalate it."))
            if router._next_level(request) is False:
                raise UserError(self.env._("The request is already with the vendor."))
        router._escalate(self, "manual")
        return True

    def action_merge_into(self, target):
        """Business owner: mark these wishes as duplicates of ``target``."""
        target.ensure_one()
        if not self.env.user.has_group("ledd_base.group_business_owner"):
            raise AccessError(self.env._("Only business owners may merge requests."))
        if target in self:
            raise UserError(self.env._("A request cannot be merged into itself."))
        self.check_access("write")
        target.check_access("write")
        for request in self:
            # followers may be people outside the business owner's member scope
            target.sudo().message_subscribe(partner_ids=request.sudo().message_partner_ids.ids)
            request.message_post(
                body=self.env._("Merged into %(target)s.", target=target.display_name),
                subtype_xmlid="mail.mt_comment",
            )
        self.sudo().write({"merged_into_id": target.id, "state": "closed"})
        target.message_post(
            body=self.env._("%(count)s duplicate(s) merged into this request.", count=len(self)),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _visible_domain(self, user):
        """Requests ``user`` may see: handled by their units, about their people,
        or their own. The record rules say the same; the portal uses this."""
        handling_roots = (user.ledd_support_unit_ids | user.ledd_scope_unit_ids).ids
        return [
            "|",
            "|",
            "|",
            ("handling_unit_id", "child_of", handling_roots),
            ("unit_id", "in", user.ledd_scope_subtree_unit_ids.ids),
            ("requester_partner_id", "=", user.partner_id.id),
            ("partner_id", "=", user.partner_id.id),
        ]
