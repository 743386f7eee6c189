from odoo import fields, models


class LeddUnitType(models.Model):
    _inherit = "ledd.unit.type"

    adoption_coverage = fields.Boolean(
        string="Needs a Superuser",
        help="Units of this level count for the coverage figure: each of them should "
        "have a current superuser who uses Ledd.",
    )
