{
    "name": "Ledd Membership",
    "summary": "Membership lines and states scoped by unit, on the unit's member "
    "lists and in the portal, with membership figures per unit",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_base", "membership"],
    "data": [
        "security/ledd_membership_security.xml",
        "views/res_partner_views.xml",
        "views/ledd_unit_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
    "application": False,
}
