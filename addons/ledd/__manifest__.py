{
    "name": "Ledd",
    "summary": "One-click install of the Ledd suite for membership organisations "
    "with national, regional and local levels",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": [
        "ledd_base",
        "ledd_membership",
        "ledd_support",
        "ledd_request",
        "ledd_training",
        "ledd_adoption",
    ],
    "data": [],
    "installable": True,
    "application": False,
}
