from odoo import fields, models


class LeddUnit(models.Model):
    _inherit = "ledd.unit"

    training_open_count = fields.Integer(
        string="Training Open",
        compute="_compute_training_figures",
        help="Required training due or overdue in this unit and below it.",
    )
    training_overdue_count = fields.Integer(string="Training Overdue", compute="_compute_training_figures")
    training_done_count = fields.Integer(string="Training Done", compute="_compute_training_figures")
    training_completion_rate = fields.Float(
        string="Training Completion (%)",
        compute="_compute_training_figures",
        digits=(5, 1),
        help="Share of the current required training (due, overdue or done) that is done, "
        "for the roles of this unit and of every unit below it.",
    )

    def _compute_training_figures(self):
        assignments = self.env["ledd.training.assignment"]
        for unit in self:
            counts = dict(
                assignments._read_group(
                    [
                        ("unit_id", "child_of", unit.id),
                        ("mandatory", "=", True),
                        ("state", "in", ("due", "overdue", "done")),
                    ],
                    ["state"],
                    ["__count"],
                )
            )
            done = counts.get("done", 0)
            total = done + counts.get("due", 0) + counts.get("overdue", 0)
            unit.training_open_count = total - done
            unit.training_overdue_count = counts.get("overdue", 0)
            unit.training_done_count = done
            unit.training_completion_rate = 100.0 * done / total if total else 0.0

    def action_view_training(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ledd_training.ledd_training_assignment_action")
        action.update(
            {
                "name": self.env._("Training in %(unit)s", unit=self.name),
                "domain": [("unit_id", "child_of", self.id)],
                "context": {"search_default_current": 1},
            }
        )
        return action
