import hashlib
import hmac
import json
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, config

_logger = logging.getLogger(__name__)

# References a deleted person, user or unit clears (ON DELETE SET NULL), with the
# table each one points to: the log's trigger lets one become NULL only once the
# row it pointed to is gone. The chain keeps the ids they had (in ``chain_content``).
NULLABLE_REFERENCES = {
    "actor_id": "res_users",
    "target_partner_id": "res_partner",
    "target_user_id": "res_users",
    "target_unit_id": "ledd_unit",
    "create_uid": "res_users",
    "write_uid": "res_users",
}
# What the hash chain covers: everything that says who did what to whom, when,
# and with which outcome.
CHAIN_FIELDS = (
    "create_date",
    "actor_id",
    "target_partner_id",
    "target_user_id",
    "target_unit_id",
    "action",
    "outcome",
    "code",
    "channel",
    "counts_for_target",
    "is_summary",
)
# The key of the chain's HMAC: an option of the server configuration, never in
# the database (whoever writes the database could otherwise recompute the chain).
CHAIN_KEY_OPTION = "ledd_support_log_secret"
# Two-integer advisory lock taken by every writer of the chain.
CHAIN_LOCK = (0x1EDD03, 1)
VERIFY_BATCH = 2000


class LeddSupportLogChain(models.AbstractModel):
    """The hash chain of the login support log (``ledd.support.log``), which
    inherits it: whoever owns the database can change rows behind the log's
    append-only trigger, so every row carries ``chain_hash`` =
    HMAC-SHA256(server secret, previous row's hash + ``chain_content``), where
    ``chain_content`` holds the row's non-personal values as written.

    A changed row, a deleted row (the next row then fails) or deleted last rows
    (``ledd_support_log_chain_head`` remembers the last one) are found by
    ``_verify_integrity``, run daily by a cron that tells the system owners.
    Someone who also holds the server secret can rewrite the chain: that is
    the limit."""

    _name = "ledd.support.log.chain"
    _description = "Login Support Log Hash Chain"

    chain_content = fields.Text(
        readonly=True,
        groups="base.group_user",
        help="The row's non-personal values as written, covered by the hash chain.",
    )
    chain_hash = fields.Char(
        readonly=True,
        groups="base.group_user",
        help="HMAC-SHA256 of the previous row's hash and this row's chain content, keyed with the server secret.",
    )

    def init(self):
        res = super().init()
        # The head of the hash chain: the last chained row and its hash.
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS ledd_support_log_chain_head (
                    singleton boolean PRIMARY KEY DEFAULT TRUE CHECK (singleton),
                    last_id integer,
                    last_hash varchar NOT NULL DEFAULT ''
                );
                INSERT INTO ledd_support_log_chain_head (singleton) VALUES (TRUE) ON CONFLICT DO NOTHING;
                """
            )
        )
        return res

    @api.model
    def _ledd_chain_lock_key(self):
        return CHAIN_LOCK

    @api.model
    def _ledd_chain_key(self):
        """The HMAC key from the server configuration. Without one the chain
        goes on with an empty key, which anyone can recompute: the daily
        integrity check tells the system owner (see _ledd_integrity_problems)."""
        return (config.get(CHAIN_KEY_OPTION) or "").encode()

    @api.model
    def _ledd_chain_hmac(self, key, previous_hash, content):
        message = (previous_hash or "").encode() + b"\n" + content.encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    @api.model
    def _ledd_chain_value(self, name, value):
        """One covered value, the same whether it comes from the values being
        written or from the database when verifying."""
        field = self._fields[name]
        if field.type == "boolean":
            return bool(value)
        if field.type == "datetime":
            return fields.Datetime.to_string(value) if value else None
        if field.type == "many2one":
            return (value.id if isinstance(value, models.BaseModel) else value) or None
        return value or None

    @api.model
    def _ledd_chain_content(self, values):
        return json.dumps(
            {name: self._ledd_chain_value(name, values.get(name)) for name in CHAIN_FIELDS},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @api.model
    def _ledd_chain_values(self, vals):
        """``vals`` with the row's chain content and hash, chained to the head.

        Parallel workers: the advisory lock lets one writer at a time take the
        head of the chain, and holds it until its transaction ends. Odoo runs
        transactions in REPEATABLE READ, so a writer that waited for the lock
        may still see the head as it was before the other's commit: locking
        the head row (FOR UPDATE) then fails with a serialization error, and
        Odoo retries the request on a fresh snapshot. Two rows never share a
        predecessor, and ids grow along the chain (taken under the lock)."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", *CHAIN_LOCK))
        cr.execute(SQL("SELECT last_hash FROM ledd_support_log_chain_head FOR UPDATE"))
        previous_hash = cr.fetchone()[0]
        vals = dict(vals, create_date=cr.now())
        content = self._ledd_chain_content(vals)
        vals["chain_content"] = content
        vals["chain_hash"] = self._ledd_chain_hmac(self._ledd_chain_key(), previous_hash, content)
        return vals

    @api.model
    def _ledd_chain_move_head(self, record):
        self.env.cr.execute(
            SQL(
                "UPDATE ledd_support_log_chain_head SET last_id = %s, last_hash = %s",
                record.id,
                record.sudo().chain_hash,
            )
        )

    @api.model
    def _verify_integrity(self):
        """The rows whose chain is broken (empty when the log is intact): a row
        whose hash does not match its content and its predecessor's hash
        (changed, or the row before it deleted), whose columns differ from what
        was chained, or whose reference was cleared while the referenced row
        still exists."""
        return self.browse(self._ledd_walk_chain()[0])

    @api.model
    def _ledd_walk_chain(self):
        """Walk the chain in id order: ``(broken ids, last id, last hash)``."""
        self.env.flush_all()
        cr = self.env.cr
        key = self._ledd_chain_key()
        broken, last_id, previous_hash = [], 0, ""
        columns = SQL(", ").join(SQL.identifier(name) for name in CHAIN_FIELDS)
        while True:
            cr.execute(
                SQL(
                    "SELECT id, chain_hash, chain_content, %s FROM %s WHERE id > %s ORDER BY id LIMIT %s",
                    columns,
                    SQL.identifier(self._table),
                    last_id,
                    VERIFY_BATCH,
                )
            )
            rows = cr.dictfetchall()
            if not rows:
                return broken, last_id, previous_hash
            cleared = self._ledd_cleared_references(rows)
            for row in rows:
                content = row["chain_content"] or ""
                expected = self._ledd_chain_hmac(key, previous_hash, content)
                if not row["chain_hash"] or not hmac.compare_digest(row["chain_hash"], expected):
                    broken.append(row["id"])
                elif not self._ledd_row_matches(row, content, cleared):
                    broken.append(row["id"])
                previous_hash, last_id = row["chain_hash"] or "", row["id"]

    @api.model
    def _ledd_row_matches(self, row, content, cleared):
        """The row's columns are the values chained, but for references that
        PostgreSQL cleared because their row is gone."""
        try:
            chained = json.loads(content)
        except ValueError:
            return False
        for name in CHAIN_FIELDS:
            value = self._ledd_chain_value(name, row[name])
            if value == chained.get(name):
                continue
            table = NULLABLE_REFERENCES.get(name)
            if value is None and table and chained.get(name) in cleared.get(table, ()):
                continue
            return False
        return True

    @api.model
    def _ledd_cleared_references(self, rows):
        """``{table: ids}`` of the chained references that are NULL now and
        whose row is really gone."""
        wanted = {}
        for row in rows:
            try:
                chained = json.loads(row["chain_content"] or "{}")
            except ValueError:
                continue
            for name, table in NULLABLE_REFERENCES.items():
                if name in CHAIN_FIELDS and row[name] is None and chained.get(name):
                    wanted.setdefault(table, set()).add(chained[name])
        gone = {}
        for table, ids in wanted.items():
            self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = ANY(%s)", SQL.identifier(table), list(ids)))
            gone[table] = ids - {existing for (existing,) in self.env.cr.fetchall()}
        return gone

    @api.model
    def _ledd_integrity_problems(self):
        """What the system owner must know, as ``[(code, message)]``: broken
        rows, missing last rows, and a chain run without a secret."""
        _ = self.env._
        problems = []
        broken, last_id, last_hash = self._ledd_walk_chain()
        if broken:
            problems.append(
                (
                    "broken_rows",
                    _(
                        "%(count)s row(s) of the login support log do not match the hash chain: "
                        "they were changed, or the row before them was deleted, outside Odoo. Ids: %(ids)s.",
                        count=len(broken),
                        ids=", ".join(str(row_id) for row_id in broken[:50]),
                    ),
                )
            )
        self.env.cr.execute(SQL("SELECT last_id, last_hash FROM ledd_support_log_chain_head"))
        head = self.env.cr.fetchone()
        if head and (head[0] or 0, head[1] or "") != (last_id, last_hash):
            problems.append(
                (
                    "missing_tail",
                    _(
                        "The last rows of the login support log are missing: the chain ended with row "
                        "%(head)s, the log now ends with row %(last)s.",
                        head=head[0] or "-",
                        last=last_id or "-",
                    ),
                )
            )
        if not self._ledd_chain_key():
            # Said here, in the daily check, so that a missing secret is never silent.
            problems.append(
                (
                    "no_secret",
                    _(
                        "No secret is configured for the login support log (option %(option)s in the "
                        "server configuration file). The log is still chained, but whoever can write the "
                        "database can recompute the whole chain, so changes are not detectable. "
                        "Set a long random secret.",
                        option=CHAIN_KEY_OPTION,
                    ),
                )
            )
        return problems

    @api.model
    def _cron_verify_integrity(self):
        """Daily: verify the chain and tell the system owners what is wrong.

        They are told by a user notification (``message_notify``), which lands
        in their Odoo inbox or mailbox as each of them chose in their
        preferences; nothing is sent while all is well."""
        problems = self._ledd_integrity_problems()
        if not problems:
            return
        _logger.warning("Login support log integrity: %s", "; ".join(code for code, _message in problems))
        owners = self.env.ref("ledd_base.group_system_owner").sudo().users.filtered(lambda user: not user.share)
        if not owners:
            return
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("The daily check of the login support log found:"),
            Markup().join(Markup("<li>%s</li>") % message for _code, message in problems),
        )
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=owners.partner_id.ids,
            subject=self.env._("Login support log: integrity check"),
            body=body,
            author_id=self.env.ref("base.partner_root").id,
        )
