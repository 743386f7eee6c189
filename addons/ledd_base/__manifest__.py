{
    "name": "Ledd Base",
    "summary": "Organisation hierarchy (national, regions, local branches), roles "
    "and data scoped to each person's part of the tree",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["contacts", "portal"],
    "data": [
        "security/ledd_base_security.xml",
        "security/ir.model.access.csv",
        "data/ledd_unit_type_data.xml",
        "data/ledd_role_type_data.xml",
        "data/ir_cron_data.xml",
        "views/ledd_unit_type_views.xml",
        "views/ledd_role_type_views.xml",
        "views/ledd_unit_views.xml",
        "views/ledd_role_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/ledd_menus.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "ledd_base/static/src/scss/ledd_portal_accessibility.scss",
        ],
    },
    "installable": True,
    "application": True,
}
