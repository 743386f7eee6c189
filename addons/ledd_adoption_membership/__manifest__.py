{
    "name": "Ledd Adoption: Membership",
    "summary": "Members by membership state (paying, waiting, lapsed) in the adoption figures",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd_adoption", "ledd_membership"],
    "installable": True,
    "auto_install": True,
}
