import logging

import psycopg2

from odoo import fields, models
from odoo.http import request

_logger = logging.getLogger(__name__)

SESSION_KEY = "ledd_activity_day"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        res = super()._authenticate(endpoint)
        cls._ledd_record_activity()
        return res

    @classmethod
    def _ledd_record_activity(cls):
        """Record the session's user as active today, once per session and day.

        The day already recorded is kept in the session, so the cost is one
        ``INSERT ... ON CONFLICT DO NOTHING`` per session and day. It runs in its
        own short transaction: it holds no lock for the rest of the request, it
        counts even when the request fails, and a parallel first request of the
        same user (the web client loads several at once) cannot make the request
        retry."""
        uid = request.session.uid
        if not uid or request.env.cr.readonly:
            # Not logged in, or a read-only replica: a later request records it.
            return
        marker = f"{uid}:{fields.Date.to_string(fields.Date.today())}"
        if request.session.get(SESSION_KEY) == marker:
            return
        try:
            with request.env.registry.cursor() as cr:
                request.env(cr=cr, su=True)["ledd.user.activity"]._record([uid])
        except psycopg2.errors.SerializationFailure:
            _logger.debug("Activity of user %s recorded by a parallel request", uid)
        request.session[SESSION_KEY] = marker
