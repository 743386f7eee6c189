from odoo.tools import SQL


def uninstall_hook(env):
    """The audit log's table goes with the module; its trigger function and the
    rate-limit bookkeeping table are not Odoo models, and the email index sits on
    another module's table, so they are dropped here."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS ledd_support_rate_touch"))
    env.cr.execute(SQL("DROP FUNCTION IF EXISTS ledd_support_log_append_only() CASCADE"))
    env.cr.execute(SQL("DROP INDEX IF EXISTS res_partner_ledd_email_normalized_idx"))
