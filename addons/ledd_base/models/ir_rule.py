from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        """Key the cached record rule domains by the day as well.

        ``_compute_domain`` is ormcached per user, and Ledd's rules read the
        user's scope, which follows the dates of their roles. Without the day in
        the key, a role that ends (or starts) by date would keep (or lack) its
        rights until something clears the registry cache, at best the nightly
        cron. With it, the first request of the new day evaluates the rules
        again. The day is the one role dates are read against."""
        yield from super()._compute_domain_context_values()
        yield self.env["ledd.role"]._ledd_today()
