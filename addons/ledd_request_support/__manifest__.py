{
    "name": "Ledd Requests: Login Support",
    "summary": "Open the login doctor from a login request, once its sender is verified",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_request", "ledd_support"],
    "data": [
        "views/ledd_request_views.xml",
        "views/ledd_request_portal_templates.xml",
    ],
    "installable": True,
    "auto_install": True,
}
