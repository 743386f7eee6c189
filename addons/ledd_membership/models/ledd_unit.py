from odoo import fields, models


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    membership_line_count = fields.Integer(
        compute="_compute_membership_line_count",
        string="Membership Lines",
        help="Membership lines of the people whose home unit is this unit or a unit below it.",
    )

    def _compute_membership_line_count(self):
        line_model = self.env["membership.membership_line"]
        for unit in self:
            unit.membership_line_count = line_model.search_count([("partner.ledd_unit_id", "child_of", unit.id)])

    def _ledd_membership_counts(self):
        """Members per membership state for each unit's whole subtree.

        Returns ``{unit_id: {state: count}}`` with every state of
        ``res.partner.membership_state`` as key (0 when nobody is in it). One
        ``_read_group`` over the indexed home unit column counts the members of
        all the subtrees at once; the groups (home unit, state) are then added
        up the tree along ``parent_path``. Counts what the caller may read:
        figures for the whole organisation are read with ``sudo()``.
        """
        partner_model = self.env["res.partner"]
        states = [state for state, _label in partner_model._fields["membership_state"].selection]
        counts = {unit_id: dict.fromkeys(states, 0) for unit_id in self.ids}
        if not self:
            return counts
        groups = partner_model._read_group(
            [("ledd_unit_id", "child_of", self.ids), ("ledd_is_member", "=", True)],
            ["ledd_unit_id", "membership_state"],
            ["__count"],
        )
        for home_unit, state, count in groups:
            for unit_id in home_unit.sudo().parent_path.split("/")[:-1]:
                unit_counts = counts.get(int(unit_id))
                if unit_counts is not None:
                    unit_counts[state or "none"] += count
        return counts

    def action_view_members(self):
        """The members of the subtree, listed with their membership state and dates."""
        action = super().action_view_members()
        list_view = self.env.ref("ledd_membership.res_partner_view_list_ledd_membership")
        action.update(
            {
                "view_mode": "list,kanban,form",
                "views": [(list_view.id, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def action_view_membership_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_membership.membership_line_action_ledd")
        action.update(
            {
                "name": self.env._("Membership Lines of %(unit)s", unit=self.name),
                "domain": [("partner.ledd_unit_id", "child_of", self.id)],
            }
        )
        return action
