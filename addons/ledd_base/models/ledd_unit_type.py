from odoo import fields, models


class LeddUnitType(models.Model):
    _name = "ledd.unit.type"
    _description = "Organisation Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical code, e.g. 'national', 'region', 'local', 'group'. "
        "Other addons use it to find a level without relying on its name.",
    )
    sequence = fields.Integer(
        default=10,
        help="Order of the levels from the top of the organisation (lowest first).",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each organisation level needs its own code."),
    ]
