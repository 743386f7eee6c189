import ipaddress
import logging

from odoo import api, fields, models
from odoo.http import request
from odoo.tools import SQL
from odoo.tools.misc import hmac

from .ledd_support_service import HELP_CONTACTS_QUIET_MINUTES

_logger = logging.getLogger(__name__)

DEFAULT_LIMIT_PER_ADDRESS = 5
DEFAULT_LIMIT_GLOBAL = 200
DEFAULT_WINDOW_MINUTES = 15
GLOBAL_KEY = "global"


class LeddSupportHelpQueue(models.Model):
    """What the public login pages were asked, done later by a cron.

    "Trouble logging in?" and Odoo's "Reset Password" page must not tell a
    known address from an unknown one, not even by their response time. So
    the request only records what was asked (the same statements whatever the
    address) and answers at once; the cron looks the address up and mails the
    person, if any. A row is deleted once handled: the queue keeps no history.

    The pages are also limited per client address and overall, with counters
    in PostgreSQL (``ledd_support_help_limit``) so that every worker agrees."""

    _name = "ledd.support.help.queue"
    _description = "Public Login Help Queue"
    _order = "id"

    kind = fields.Selection(
        [("help_contacts", "Who can help me log in"), ("reset_password", "Password reset")],
        required=True,
        readonly=True,
    )
    login = fields.Char(
        required=True,
        readonly=True,
        help="The email (help page) or login (reset page) as asked, looked up by the cron.",
    )

    def init(self):
        res = super().init()
        # One row per client network (keyed by an HMAC, never the address
        # itself) and one for the whole site: an atomic upsert per request
        # counts in fixed windows; two workers counting the same key collide
        # on the row, and the later one is retried on a fresh snapshot.
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS ledd_support_help_limit (
                    key varchar PRIMARY KEY,
                    window_start timestamp without time zone NOT NULL,
                    hits integer NOT NULL
                )
                """
            )
        )
        return res

    # ------------------------------------------------------------------
    # Limits (called in the request, before anything is queued)
    # ------------------------------------------------------------------
    @api.model
    def _ledd_param(self, key, default):
        return self.env["ledd.support.service"]._ledd_param(key, default)

    @api.model
    def _ledd_client_network(self, address):
        """The client as the limit counts it: an IPv4 address, or the /64 of
        an IPv6 address (one household or host gets a whole /64)."""
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return address or "unknown"
        if ip.version == 6 and ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        if ip.version == 6:
            return str(ipaddress.ip_network(f"{ip}/64", strict=False))
        return str(ip)

    @api.model
    def _ledd_hit(self, key, window):
        """Count one request on ``key`` in the current window; the new count."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ledd_support_help_limit AS counter (key, window_start, hits)
                VALUES (%(key)s, now() AT TIME ZONE 'UTC', 1)
                ON CONFLICT (key) DO UPDATE
                   SET hits = CASE WHEN counter.window_start <= %(expired)s THEN 1 ELSE counter.hits + 1 END,
                       window_start = CASE WHEN counter.window_start <= %(expired)s
                                           THEN now() AT TIME ZONE 'UTC' ELSE counter.window_start END
                RETURNING hits
                """,
                key=key,
                expired=SQL("(now() AT TIME ZONE 'UTC') - %s * interval '1 minute'", window),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _ledd_check_client_limit(self):
        """Count this request of the public login pages; True if it is within
        the limit per client address and the global one (0 turns a limit off).

        The client address is the one Odoo sees after its proxy handling
        (``proxy_mode``): behind a reverse proxy it must forward the client's
        address (see the README)."""
        window = self._ledd_param("login_help_window_minutes", DEFAULT_WINDOW_MINUTES) or DEFAULT_WINDOW_MINUTES
        per_address = self._ledd_param("login_help_limit_per_address", DEFAULT_LIMIT_PER_ADDRESS)
        overall = self._ledd_param("login_help_limit_global", DEFAULT_LIMIT_GLOBAL)
        if per_address:
            network = self._ledd_client_network(request.httprequest.remote_addr if request else "")
            key = "address-" + hmac(self.env(su=True), "ledd_support.login_help_limit", network)[:32]
            if self._ledd_hit(key, window) > per_address:
                # not counted overall: one client past its own limit cannot
                # use up everybody's budget
                return False
        return not overall or self._ledd_hit(GLOBAL_KEY, window) <= overall

    @api.model
    def _ledd_enqueue(self, kind, login):
        """Record what was asked, and wake the cron up. The same statements
        whatever ``login`` is: nothing here looks it up."""
        self.sudo().create({"kind": kind, "login": (login or "").strip()[:254]})
        cron = self.env.ref("ledd_support.ir_cron_ledd_help_queue", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    # ------------------------------------------------------------------
    # The cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_queue(self, batch_size=100):
        """Handle one batch of queued requests, oldest first.

        Rows are taken with ``FOR UPDATE SKIP LOCKED``: several cron workers
        (or a manual run beside the cron) never handle the same row. The cron
        runs again at once while rows remain (progress API)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                batch_size,
            )
        )
        queued = self.browse([row[0] for row in self.env.cr.fetchall()])
        for row in queued:
            try:
                with self.env.cr.savepoint():
                    row._ledd_handle()
            except Exception:  # noqa: BLE001 - one bad row must not block the queue
                _logger.warning("Public login help: could not handle queued request %s", row.id, exc_info=True)
        queued.unlink()
        self._ledd_purge_limits()
        remaining = self.search_count([])
        self.env["ir.cron"]._notify_progress(done=len(queued), remaining=remaining)
        return len(queued)

    def _ledd_handle(self):
        self.ensure_one()
        if self.kind == "help_contacts":
            self.env["ledd.support.service"].sudo()._ledd_send_help_contacts(self.login)
        else:
            self._ledd_reset_password()

    def _ledd_reset_password(self):
        """Odoo's own reset for this login (auth_signup's ``reset_password``),
        done quietly: nothing is sent when no account, an archived one or
        several accounts match; one person gets at most one link in the quiet
        period (each new link invalidates the previous one)."""
        users = self.env["res.users"].sudo()
        matches = users.search(users._get_login_domain(self.login))
        if not matches:
            matches = users.search(users._get_email_domain(self.login))
        if len(matches) != 1:
            _logger.info("Public password reset: %s accounts match the login asked, nothing sent", len(matches))
            return
        service = self.env["ledd.support.service"].sudo()
        if not service._ledd_touch(f"reset-{matches.id}", HELP_CONTACTS_QUIET_MINUTES):
            return
        matches.action_reset_password()

    @api.model
    def _ledd_purge_limits(self):
        """Drop the counters whose window has passed."""
        window = self._ledd_param("login_help_window_minutes", DEFAULT_WINDOW_MINUTES) or DEFAULT_WINDOW_MINUTES
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM ledd_support_help_limit
                 WHERE window_start <= (now() AT TIME ZONE 'UTC') - %s * interval '1 minute'
                """,
                window,
            )
        )
