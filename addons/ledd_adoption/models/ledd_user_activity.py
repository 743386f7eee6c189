from odoo import api, fields, models
from odoo.tools import SQL


class LeddUserActivity(models.Model):
    """One row per user and day the user used Ledd (backend, portal or RPC).

    Odoo itself records only password logins, and keeps only the latest; sessions
    last for days. Rows are written with one ``INSERT ... ON CONFLICT DO NOTHING``
    per user and day, see ``ir.http._authenticate``."""

    _name = "ledd.user.activity"
    _description = "User Activity per Day"
    _order = "date desc, id desc"
    _log_access = False

    user_id = fields.Many2one("res.users", string="User", required=True, index=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Person", index=True, ondelete="cascade", readonly=True)
    unit_id = fields.Many2one(
        "ledd.unit",
        string="Home Unit",
        index=True,
        ondelete="set null",
        readonly=True,
        help="The person's home unit on that day.",
    )
    date = fields.Date(required=True, index=True, readonly=True)

    _sql_constraints = [
        ("user_date_unique", "unique(user_id, date)", "A user's activity is recorded once a day."),
    ]

    @api.model
    def _record(self, user_ids, day=None):
        """Record that ``user_ids`` were active on ``day`` (default: today, UTC).

        One set-based statement; a second call the same day does nothing."""
        if not user_ids:
            return
        day = day or fields.Date.today()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ledd_user_activity (user_id, partner_id, unit_id, date)
                SELECT u.id, u.partner_id, p.ledd_unit_id, %(day)s
                  FROM res_users u
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.id = ANY(%(user_ids)s)
                ON CONFLICT (user_id, date) DO NOTHING
                """,
                day=day,
                user_ids=list(user_ids),
            )
        )
