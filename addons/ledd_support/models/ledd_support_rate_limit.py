from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Classes of the two-integer advisory locks taken around a rate-limit count.
LOCK_CLASS_ACTOR = 0x1EDD01
LOCK_CLASS_TARGET = 0x1EDD02
DEFAULT_ACTOR_LIMIT = 30
DEFAULT_TARGET_LIMIT = 5
DEFAULT_WINDOW_MINUTES = 60
# The public "Trouble logging in?" page mails one person at most this often.
HELP_CONTACTS_QUIET_MINUTES = 10


class LeddSupportRateLimit(models.AbstractModel):
    """Rate limits of login support, inherited by the models that limit their
    callers (``ledd.support.service``): sliding windows over the audit log's
    rows, per actor and per person helped, and a quiet period per key
    (``_ledd_touch``) for what must not be sent too often.

    The counts are taken under PostgreSQL advisory locks and a row per key in
    ``ledd_support_rate_touch``, so that parallel workers agree."""

    _name = "ledd.support.rate.limit"
    _description = "Login Support Rate Limits"

    def init(self):
        res = super().init()
        # One row per rate-limit key, touched by every delegated action: two
        # workers counting the same actor or target at once collide on it, and
        # the later one is retried on a fresh snapshot (see _ledd_count_recent).
        self.env.cr.execute(
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

    @api.model
    def _ledd_touch(self, key, quiet_minutes):
        """Mark ``key`` as used now, unless it was used in the last
        ``quiet_minutes``: True if marked. Keeps the public page from
        flooding a person's inbox."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ledd_support_rate_touch (key, touched) VALUES (%(key)s, %(now)s)
                ON CONFLICT (key) DO UPDATE SET touched = EXCLUDED.touched
                 WHERE ledd_support_rate_touch.touched < %(since)s
                RETURNING key
                """,
                key=key,
                now=now,
                since=now - timedelta(minutes=quiet_minutes),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _ledd_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"ledd_support.{key}")
        try:
            return max(int(value), 0) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _ledd_count_recent(self, lock_class, record_id, key, domain):
        """Log rows matching ``domain`` in the sliding window of one actor or
        one target: ``(count, window in minutes)``.

        The advisory lock makes parallel workers count one after the other;
        touching a row per key makes a worker whose snapshot predates the
        other's commit fail with a serialization error, and Odoo retries its
        request on a fresh snapshot that sees the other's row."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", lock_class, record_id))
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                """
                INSERT INTO ledd_support_rate_touch (key, touched) VALUES (%s, %s)
                ON CONFLICT (key) DO UPDATE SET touched = EXCLUDED.touched
                """,
                key,
                now,
            )
        )
        window = self._ledd_param("rate_limit_window_minutes", DEFAULT_WINDOW_MINUTES)
        log = self.env["ledd.support.log"].sudo()
        log.flush_model()
        since = now - timedelta(minutes=window)
        return log.search_count(domain + [("create_date", ">=", since)]), window

    @api.model
    def _ledd_check_actor_rate(self):
        """Refusal ``(code, message, summary_due)`` once the calling user is
        past their limit, else None.

        Every row the actor caused counts, refusals included (out-of-scope
        probing, or insisting on a person held back by their own limit), but
        the summary rows. Once over the limit, one summary row stands for the
        whole window: ``summary_due`` is False while the window already holds
        one, and then the attempt leaves no row at all."""
        limit = self._ledd_param("rate_limit_per_actor", DEFAULT_ACTOR_LIMIT)
        if not limit:
            return None
        actor = self.env.user
        count, window = self._ledd_count_recent(
            LOCK_CLASS_ACTOR, actor.id, f"actor-{actor.id}", [("actor_id", "=", actor.id), ("is_summary", "=", False)]
        )
        if count < limit:
            return None
        since = fields.Datetime.now() - timedelta(minutes=window)
        summaries = (
            self.env["ledd.support.log"]
            .sudo()
            .search_count(
                [("actor_id", "=", actor.id), ("is_summary", "=", True), ("create_date", ">=", since)], limit=1
            )
        )
        message = self.env._(
            "You have used the login support tools %(count)s times in the last %(minutes)s minutes. "
            "Please wait a while and try again.",
            count=limit,
            minutes=window,
        )
        return "rate_limited", message, not summaries

    @api.model
    def _ledd_check_target_rate(self, partner):
        """Refusal ``(code, message)`` once the person was helped too often,
        else None. Only attempts by actors who passed the scope check count
        (``counts_for_target``): someone who may not help a person cannot use
        up that person's limit."""
        limit = self._ledd_param("rate_limit_per_target", DEFAULT_TARGET_LIMIT)
        if not limit:
            return None
        count, window = self._ledd_count_recent(
            LOCK_CLASS_TARGET,
            partner.id,
            f"target-{partner.id}",
            [("target_partner_id", "=", partner.id), ("counts_for_target", "=", True)],
        )
        if count >= limit:
            return "rate_limited", self.env._(
                "This person has been helped %(count)s times in the last %(minutes)s minutes. "
                "Please wait a while before trying again.",
                count=limit,
                minutes=window,
            )
        return None
