from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import SQL

from .ledd_support_log_chain import NULLABLE_REFERENCES

ACTIONS = [
    ("send_password_reset", "Send password reset"),
    ("grant_portal_access", "Invite to the portal"),
    ("change_email", "Change email"),
    ("reactivate_user", "Reactivate account"),
    ("reset_two_factor", "Reset two-factor authentication"),
]

# Personal columns: retention and a person's erasure may clear them (to NULL,
# nothing else), so the hash chain does not cover them. ``detail`` is among
# them because its words name email addresses; the stable ``code`` says the same
# without them.
PERSONAL_COLUMNS = ("actor_name", "target_name", "remote_addr", "reason", "detail")


class LeddSupportLog(models.Model):
    """Append-only, hash-chained audit log of delegated login support.

    What holds against whom:

    - the ORM refuses write and unlink to everyone, superuser included, and a
      database trigger refuses UPDATE, DELETE and TRUNCATE, except clearing the
      personal columns to NULL and PostgreSQL clearing a reference to a row that
      is really gone;
    - whoever owns the database can disable the trigger: every row is therefore
      hash-chained to the one before (``ledd.support.log.chain``), and
      ``_verify_integrity``, run daily by a cron, finds what was changed or
      deleted outside Odoo.
    """

    _name = "ledd.support.log"
    _inherit = ["ledd.support.log.chain"]
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
    code = fields.Char(string="Result Code", readonly=True, help="Stable code of the result, e.g. higher_role.")
    reason = fields.Text(readonly=True, help="Why the action was asked for, as given by the person who asked.")
    detail = fields.Text(readonly=True, help="What was done, or why it was refused or failed.")
    remote_addr = fields.Char(
        string="Client Address",
        readonly=True,
        groups="base.group_user",
        help="Shown to staff only: portal users never read client addresses.",
    )
    channel = fields.Selection(
        [("backend", "Backend"), ("portal", "Portal"), ("other", "Other")],
        default="other",
        readonly=True,
    )
    counts_for_target = fields.Boolean(
        string="Counts for the Person's Limit",
        readonly=True,
        help="The actor passed the scope and anti-escalation checks, so the attempt counts towards the "
        "person's rate limit. Attempts by people who may not help the person never count against them.",
    )
    is_summary = fields.Boolean(
        string="Rate-Limit Summary",
        readonly=True,
        help="The actor was over their rate limit: this row stands for every attempt refused in the "
        "window, which leave no row of their own.",
    )

    def init(self):
        res = super().init()
        cr = self.env.cr
        table = SQL.identifier(self._table)
        # Sliding-window rate limits count rows per actor and per target; the
        # target's count only takes the rows that count for it (partial index),
        # the plain index serves the person's history.
        cr.execute(
            SQL("CREATE INDEX IF NOT EXISTS ledd_support_log_actor_date_idx ON %s (actor_id, create_date)", table)
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS ledd_support_log_target_date_idx ON %s (target_partner_id, create_date)",
                table,
            )
        )
        cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS ledd_support_log_target_counted_idx
                       ON %s (target_partner_id, create_date) WHERE counts_for_target""",
                table,
            )
        )
        self._ledd_init_append_only_trigger()
        return res

    def _ledd_init_append_only_trigger(self):
        """Append-only in the database too: UPDATE, DELETE and TRUNCATE are
        refused for everyone, with two exceptions that the hash chain survives:
        the personal columns may be cleared to NULL (retention, erasure), and a
        reference may become NULL once the row it points to is gone (PostgreSQL's
        own ON DELETE SET NULL). ``UPDATE ... SET actor_id = NULL`` on a living
        user is refused. DROP TABLE (module uninstall) fires no row trigger."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION ledd_support_log_append_only() RETURNS trigger AS $$
                DECLARE
                    clearable text[] := %(clearable)s;
                    refs text[] := %(refs)s;
                    ref_tables text[] := %(ref_tables)s;
                    new_row jsonb;
                    old_row jsonb;
                    col text;
                    gone boolean;
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        new_row := to_jsonb(NEW);
                        old_row := to_jsonb(OLD);
                        IF (new_row - clearable - refs) = (old_row - clearable - refs) THEN
                            FOREACH col IN ARRAY clearable LOOP
                                IF new_row -> col <> 'null'::jsonb
                                   AND new_row -> col IS DISTINCT FROM old_row -> col THEN
                                    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                                        MESSAGE = 'ledd_support_log is append-only, ' || col || ' may only be cleared';
                                END IF;
                            END LOOP;
                            FOR i IN 1 .. array_length(refs, 1) LOOP
                                IF new_row -> refs[i] IS DISTINCT FROM old_row -> refs[i] THEN
                                    IF new_row -> refs[i] <> 'null'::jsonb THEN
                                        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                                            MESSAGE = 'ledd_support_log is append-only, '
                                                || refs[i] || ' may only be cleared';
                                    END IF;
                                    EXECUTE 'SELECT NOT EXISTS (SELECT 1 FROM ' || quote_ident(ref_tables[i])
                                            || ' WHERE id = $1)'
                                        INTO gone USING (old_row ->> refs[i])::integer;
                                    IF NOT gone THEN
                                        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                                            MESSAGE = 'ledd_support_log is append-only, ' || refs[i] || ' still exists';
                                    END IF;
                                END IF;
                            END LOOP;
                            RETURN NEW;
                        END IF;
                    END IF;
                    RAISE EXCEPTION 'ledd_support_log is append-only' USING ERRCODE = 'insufficient_privilege';
                END;
                $$ LANGUAGE plpgsql
                """,
                clearable=list(PERSONAL_COLUMNS),
                refs=list(NULLABLE_REFERENCES),
                ref_tables=list(NULLABLE_REFERENCES.values()),
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The login support log is written by the login support tools only."))
        # One row at a time: each is chained to the one before.
        records = self.browse()
        for vals in vals_list:
            record = super().create([self._ledd_chain_values(vals)])
            self._ledd_chain_move_head(record)
            records |= record
        return records

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The login support log cannot be changed: it is an audit log."))

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The login support log cannot be deleted: it is an audit log."))

    @api.model
    def _ledd_record(
        self, action, partner, outcome, code, message, reason="", counts_for_target=False, is_summary=False
    ):
        """Write the row of one attempt of the calling user on ``partner`` (sudo,
        or empty for an id that does not exist). The names, the person's account
        and unit are copied as they are now, so that the row outlives them."""
        actor = self.env.user
        user = partner.with_context(active_test=False).user_ids[:1] if partner else self.env["res.users"]
        remote_addr = request.httprequest.remote_addr if request else False
        channel = self.env.context.get("ledd_support_channel") or "other"
        return self.sudo().create(
            {
                "actor_id": actor.id,
                "actor_name": actor.name,
                "target_partner_id": partner.id if partner else False,
                "target_name": partner.name if partner else False,
                "target_user_id": user.id,
                "target_unit_id": partner.ledd_unit_id.id if partner else False,
                "action": action,
                "outcome": outcome,
                "code": code,
                "reason": (reason or "").strip()[:2000] or False,
                "detail": message,
                "remote_addr": remote_addr,
                "channel": channel,
                "counts_for_target": counts_for_target,
                "is_summary": is_summary,
            }
        )
