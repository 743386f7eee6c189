from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

ACTIONS = [
    ("send_password_reset", "Send password reset"),
    ("grant_portal_access", "Invite to the portal"),
    ("change_email", "Change email"),
    ("reactivate_user", "Reactivate account"),
    ("reset_two_factor", "Reset two-factor authentication"),
]

# Columns a deleted person, user or unit may clear (ON DELETE SET NULL): the
# names stored next to them keep the row readable. Nothing else may change.
NULLABLE_REFERENCES = ("actor_id", "target_partner_id", "target_user_id", "target_unit_id", "create_uid", "write_uid")


class LeddSupportLog(models.Model):
    _name = "ledd.support.log"
    _description = "Login Support Audit Log"
    _order = "create_date desc, id desc"
    _rec_name = "action"
    _log_access = True

    actor_id = fields.Many2one("res.users", string="Done By", index=True, ondelete="set null", readonly=True)
    actor_name = fields.Char(string="Done By (Name)", readonly=True)
    target_partner_id = fields.Many2one("res.partner", string="Person", index=True, ondelete="set null", readonly=True)
    target_name = fields.Char(string="Person (Name)", readonly=True)
    target_user_id = fields.Many2one("res.users", string="Person's Account", ondelete="set null", readonly=True)
    target_unit_id = fields.Many2one(
        "ledd.unit",
        string="Person's Unit",
        index=True,
        ondelete="set null",
        readonly=True,
        help="Home unit of the person at the time of the action: decides who sees the row.",
    )
    action = fields.Selection(ACTIONS, required=True, readonly=True)
    outcome = fields.Selection(
        [("done", "Done"), ("refused", "Refused"), ("failed", "Failed")],
        required=True,
        readonly=True,
        index=True,
    )
    code = fields.Char(string="Result Code", readonly=True, help="Stable code of the result, e.g. out_of_scope.")
    reason = fields.Text(readonly=True, help="Why the action was asked for, as given by the person who asked.")
    detail = fields.Text(readonly=True, help="What was done, or why it was refused or failed.")
    remote_addr = fields.Char(string="Client Address", readonly=True)
    channel = fields.Selection(
        [("backend", "Backend"), ("portal", "Portal"), ("other", "Other")],
        default="other",
        readonly=True,
    )

    def init(self):
        res = super().init()
        cr = self.env.cr
        # Sliding-window rate limits count rows per actor and per target.
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS ledd_support_log_actor_date_idx ON %s (actor_id, create_date)",
                SQL.identifier(self._table),
            )
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS ledd_support_log_target_date_idx ON %s (target_partner_id, create_date)",
                SQL.identifier(self._table),
            )
        )
        # Append-only in the database too: UPDATE, DELETE and TRUNCATE are
        # refused for everyone. The one UPDATE allowed is PostgreSQL's own
        # ON DELETE SET NULL clearing a reference to a deleted person, user or
        # unit. DROP TABLE (module uninstall) fires no row trigger.
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION ledd_support_log_append_only() RETURNS trigger AS $$
                DECLARE
                    nullable text[] := %s;
                    col text;
                BEGIN
                    IF TG_OP = 'UPDATE'
                       AND (to_jsonb(NEW) - nullable) = (to_jsonb(OLD) - nullable) THEN
                        FOREACH col IN ARRAY nullable LOOP
                            IF (to_jsonb(NEW) -> col) <> 'null'::jsonb
                               AND (to_jsonb(NEW) -> col) IS DISTINCT FROM (to_jsonb(OLD) -> col) THEN
                                RAISE EXCEPTION 'ledd_support_log is append-only'
                                    USING ERRCODE = 'insufficient_privilege';
                            END IF;
                        END LOOP;
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'ledd_support_log is append-only' USING ERRCODE = 'insufficient_privilege';
                END;
                $$ LANGUAGE plpgsql
                """,
                list(NULLABLE_REFERENCES),
            )
        )
        cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS ledd_support_log_append_only ON %(table)s;
                CREATE TRIGGER ledd_support_log_append_only BEFORE UPDATE OR DELETE ON %(table)s
                    FOR EACH ROW EXECUTE FUNCTION ledd_support_log_append_only();
                DROP TRIGGER IF EXISTS ledd_support_log_no_truncate ON %(table)s;
                CREATE TRIGGER ledd_support_log_no_truncate BEFORE TRUNCATE ON %(table)s
                    FOR EACH STATEMENT EXECUTE FUNCTION ledd_support_log_append_only();
                """,
                table=SQL.identifier(self._table),
            )
        )
        # One row per rate-limit key, touched by every delegated action: two
        # workers counting the same actor or target at once collide on it, and
        # the later one is retried on a fresh snapshot (see _ledd_check_rate).
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS ledd_support_rate_touch (
                    key varchar PRIMARY KEY,
                    touched timestamp without time zone NOT NULL
                )
                """
            )
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The login support log is written by the login support tools only."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The login support log cannot be changed: it is an audit log."))

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The login support log cannot be deleted: it is an audit log."))
