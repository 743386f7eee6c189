{
    "name": "Ledd Support Requests",
    "summary": "Problems, questions and wishes routed to the nearest level that can act, "
    "escalated up the tree when nobody picks them up in time",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_base", "mail", "portal", "resource"],
    "data": [
        "security/ledd_support_request_security.xml",
        "security/ir.model.access.csv",
        "data/ledd_support_request_data.xml",
        "views/ledd_support_request_views.xml",
        "views/ledd_unit_views.xml",
        "views/ledd_support_request_portal_templates.xml",
        "views/ledd_support_request_menus.xml",
    ],
    "installable": True,
}
