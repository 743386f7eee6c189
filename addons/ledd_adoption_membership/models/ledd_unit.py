from odoo import api, fields, models

# Unit field: the field of the latest figures it shows.
ADOPTION_MEMBERSHIP_FIELDS = {
    "adoption_member_paying_count": "member_paying_count",
    "adoption_member_paying_share": "member_paying_share",
    "adoption_member_lapsed_count": "member_lapsed_count",
}


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    adoption_member_paying_count = fields.Integer(
        compute="_compute_adoption_membership", compute_sudo=False, string="Paying Members"
    )
    adoption_member_paying_share = fields.Float(
        compute="_compute_adoption_membership", compute_sudo=False, string="Paying Members (%)"
    )
    adoption_member_lapsed_count = fields.Integer(
        compute="_compute_adoption_membership", compute_sudo=False, string="Lapsed Members"
    )

    @api.depends_context("uid")
    def _compute_adoption_membership(self):
        """The membership figures of the unit's latest figures, when the user may see them."""
        for unit in self:
            snapshot = unit.adoption_snapshot_id
            for field, source in ADOPTION_MEMBERSHIP_FIELDS.items():
                unit[field] = snapshot[source]
