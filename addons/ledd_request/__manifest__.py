{
    "name": "Ledd Requests",
    "summary": "Support requests (problems, questions, wishes) routed to the nearest unit with a superuser "
    "and escalated up the tree to the vendor",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_base", "mail", "portal", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/ledd_request_security.xml",
        "data/ledd_request_data.xml",
        "views/ledd_request_views.xml",
        "views/ledd_unit_views.xml",
        "views/ledd_request_portal_templates.xml",
        "views/ledd_request_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "ledd_request/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
