{
    "name": "Ledd Support",
    "summary": "Delegated login support: a login doctor, scoped fixes from the contact form and the "
    "portal, an append-only audit log",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_base", "auth_signup", "auth_totp", "mail", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/ledd_support_security.xml",
        "data/ir_config_parameter_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/ledd_support_log_cron_data.xml",
        "views/ledd_support_log_views.xml",
        "wizards/ledd_support_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/login_templates.xml",
        "views/ledd_support_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "ledd_support/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
