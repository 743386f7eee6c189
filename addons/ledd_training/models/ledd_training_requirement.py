from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LeddTrainingRequirement(models.Model):
    _name = "ledd.training.requirement"
    _description = "Training Requirement"
    _order = "role_type_id, sequence, id"

    name = fields.Char(
        required=True,
        translate=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    sequence = fields.Integer(default=10)
    role_type_id = fields.Many2one(
        "ledd.role.type",
        string="Role",
        required=True,
        index=True,
        ondelete="cascade",
        help="Everyone who holds a role of this type gets the requirement.",
    )
    kind = fields.Selection(
        [("course", "Course"), ("attestation", "Attestation")],
        required=True,
        default="course",
        help="Course: fulfilled by finishing an eLearning course. Attestation: fulfilled "
        "by a dated document (e.g. a police certificate) or a confirmation by staff.",
    )
    channel_id = fields.Many2one(
        "slide.channel",
        string="Course",
        index=True,
        ondelete="restrict",
        help="The eLearning course to finish. Holders of the role are enrolled in it.",
    )
    refresher_channel_id = fields.Many2one(
        "slide.channel",
        string="Refresher Course",
        index=True,
        ondelete="restrict",
        help="Course for every cycle after the first. Leave empty to retake the course itself.",
    )
    due_days = fields.Integer(
        string="Due Within (Days)",
        default=30,
        required=True,
        help="Days from taking the role (or from the start of a new cycle) until it must be done.",
    )
    valid_months = fields.Integer(
        string="Valid For (Months)",
        default=0,
        required=True,
        help="Months a completion stays valid; a new cycle opens when it expires. 0 = valid forever.",
    )
    mandatory = fields.Boolean(
        default=True,
        help="Optional requirements are offered and tracked, but not counted as missing in figures.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("due_days_positive", "CHECK(due_days >= 0)", "The days until due cannot be negative."),
        ("valid_months_positive", "CHECK(valid_months >= 0)", "The months of validity cannot be negative."),
    ]

    @api.depends("channel_id")
    def _compute_name(self):
        for requirement in self:
            if requirement.channel_id and not requirement.name:
                requirement.name = requirement.channel_id.name

    @api.constrains("kind", "channel_id")
    def _check_channel(self):
        for requirement in self:
            if requirement.kind == "course" and not requirement.channel_id:
                raise ValidationError(self.env._("A course requirement needs a course."))

    @api.model_create_multi
    def create(self, vals_list):
        requirements = super().create(vals_list)
        requirements._sync_holders()
        return requirements

    def write(self, vals):
        res = super().write(vals)
        if {"role_type_id", "active"} & set(vals):
            self._sync_holders()
        return res

    def _sync_holders(self):
        """Give (or take back) the requirement to everyone holding the role now."""
        partners = (
            self.env["ledd.role"]
            .sudo()
            .search(
                [
                    ("role_type_id", "in", self.with_context(active_test=False).role_type_id.ids),
                    ("is_current", "=", True),
                ]
            )
            .partner_id
        )
        if self.filtered(lambda requirement: not requirement.active):
            partners |= (
                self.env["ledd.training.assignment"]
                .sudo()
                .search([("requirement_id", "in", self.ids), ("state", "in", ("due", "overdue"))])
                .partner_id
            )
        self.env["ledd.training.sync"]._sync_partners(partners)

    def _channel_for_cycle(self, cycle):
        self.ensure_one()
        if cycle > 1 and self.refresher_channel_id:
            return self.refresher_channel_id
        return self.channel_id
