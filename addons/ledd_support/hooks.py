from odoo.tools import SQL


def uninstall_hook(env):
    """The audit log's table goes with the module; its trigger function, the
    head of its hash chain and the rate-limit and public-page counters are not Odoo
    models, and the email index sits on another module's table, so they are
    dropped here."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS ledd_support_rate_touch"))
    env.cr.execute(SQL("DROP TABLE IF EXISTS ledd_support_log_chain_head"))
    env.cr.execute(SQL("DROP TABLE IF EXISTS ledd_support_help_limit"))
    env.cr.execute(SQL("DROP FUNCTION IF EXISTS ledd_support_log_append_only() CASCADE"))
    env.cr.execute(SQL("DROP INDEX IF EXISTS res_partner_ledd_email_normalized_idx"))
