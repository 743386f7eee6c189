from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from .mail_thread import SENDER_AUTHENTICATED

OPEN_STATES = ("new", "escalated", "in_progress", "waiting")


class LeddSupportRequest(models.Model):
    _name = "ledd.support.request"
    _description = "Support Request"
    _inherit = ["mail.thread.cc", "mail.activity.mixin"]
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
    hop_ids = fields.One2many("ledd.support.request.hop", "request_id", string="Escalations")
    decision = fields.Selection(
        [("planned", "Planned"), ("not_now", "Not Now"), ("done", "Done")],
        tracking=True,
        help="For wishes: what the business owner decided. The requester sees it.",
    )
    decision_note = fields.Text(help="Why, and when: shown to the requester with the decision.")
    merged_into_id = fields.Many2one(
        "ledd.support.request",
        string="Merged Into",
        readonly=True,
        ondelete="set null",
        help="This request duplicates the one named here, where the discussion goes on.",
    )
    duplicate_ids = fields.One2many("ledd.support.request", "merged_into_id", string="Duplicates")
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    sender_verified = fields.Boolean(
        default=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Unset when the request came by e-mail and nothing proved that the sender owns the address in From: "
        "anyone can write another person's address there. Requests made when logged in are verified.",
    )

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
        for request in requests.filtered(lambda r: not r.handling_unit_id):
            request.sudo()._assign_to(request._route_unit(), reason=False)
        for request in requests:
            if request.requester_partner_id:
                request.message_subscribe(partner_ids=request.requester_partner_id.ids)
        return requests

    def write(self, vals):
        if "sender_verified" in vals and not self.env.su:
            # only the mail gateway's proof or a handler's confirmation (action_confirm_sender)
            raise AccessError(self.env._("Use Confirm Sender to vouch for the sender of a request."))
        if "state" in vals:
            if not self.env.context.get("ledd_support_escalation"):
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

        The sender becomes the requester, verified only when our mail server
        vouched for the From address (see ``mail_thread.py``); neither an
        alias's defaults nor a caller outside the gateway can say otherwise."""
        authenticated = bool(msg_dict.pop(SENDER_AUTHENTICATED, False)) and self.env.su
        values = dict(custom_values or {})
        partner_ids = [pid for pid in self._mail_find_partner_from_emails([msg_dict.get("email_from")]) if pid]
        partner = partner_ids[0] if partner_ids else self.env["res.partner"]
        values.setdefault("name", msg_dict.get("subject") or self.env._("Request by email"))
        values.setdefault("description", msg_dict.get("body"))
        if partner:
            values.setdefault("requester_partner_id", partner.id)
        values["sender_verified"] = authenticated
        return super().message_new(msg_dict, custom_values=values)

    def message_update(self, msg_dict, update_vals=None):
        """A mail into the thread of a request. It verifies an unverified
        requester when it comes from the requester's address and our mail
        server vouched for it, or when it answers a message Ledd mailed to that
        very address on this request (whoever reads that mailbox wrote it).

        Limit: one Message-Id goes to everyone the message was mailed to; another
        follower of the request (a handler, the requester of a merged duplicate)
        who forges the requester's From could quote it too."""
        authenticated = bool(msg_dict.pop(SENDER_AUTHENTICATED, False))
        if self.env.su:  # the gateway; nobody else may hand in a verdict
            sender = email_normalize(msg_dict.get("email_from") or "")
            for request in self.filtered(lambda r: not r.sender_verified):
                if not sender or request.requester_partner_id.email_normalized != sender:
                    continue
                if authenticated or request._was_mailed_to(msg_dict.get("parent_id"), sender):
                    request.write({"sender_verified": True})
        return super().message_update(msg_dict, update_vals=update_vals)

    def _was_mailed_to(self, message_id, address):
        """Whether ``message_id`` is a message of this request that Ledd mailed to ``address``."""
        self.ensure_one()
        message = self.env["mail.message"].sudo().browse(message_id or []).exists()
        if not message or (message.model, message.res_id) != (self._name, self.id):
            return False
        undelivered = ("bounce", "exception", "canceled")
        mailed = message.notification_ids.filtered(
            lambda n: n.notification_type == "email" and n.notification_status not in undelivered
        )
        return address in mailed.res_partner_id.mapped("email_normalized")

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

    def action_open_login_doctor(self):
        """A login problem: open the login doctor for the person concerned.

        Not for a mail whose sender nobody verified: "I lost my login, here is
        my new address" in someone else's name is how accounts are taken over."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("The request names no person to diagnose."))
        self._check_sender_verified()
        return self.partner_id.action_ledd_login_help()

    def _check_sender_verified(self):
        unverified = self.filtered(lambda r: not r.sender_verified)[:1]
        if unverified:
            raise UserError(
                self.env._(
                    "The sender of %(request)s is not verified: it came by e-mail, and anyone can write another "
                    "person's address as sender. Make sure by another channel (phone, in person) that %(person)s "
                    "sent it, then press Confirm Sender before changing a login or an e-mail address.",
                    request=unverified.name,
                    person=unverified.requester_partner_id.name or self.env._("the requester"),
                )
            )

    def action_confirm_sender(self):
        """A handler vouches, after checking by another channel, that the
        requester sent the request: only then does it lead to login support."""
        for request in self:
            if not request._is_handler(self.env.user):
                raise AccessError(
                    self.env._("Only the handlers of %(request)s may confirm who sent it.", request=request.name)
                )
        unverified = self.filtered(lambda r: not r.sender_verified)
        unverified.sudo().write({"sender_verified": True})
        for request in unverified:
            request.message_post(
                body=self.env._(
                    "%(user)s confirmed that %(person)s sent this request.",
                    user=self.env.user.name,
                    person=request.requester_partner_id.name or self.env._("the requester"),
                ),
                subtype_xmlid="mail.mt_note",
            )
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
