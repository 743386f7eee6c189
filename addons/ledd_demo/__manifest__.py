{
    "name": "Ledd Demo",
    "summary": "A realistic generated organisation (Norway's counties and municipalities) "
    "in sizes S, M and L, for trying the suite and for benchmarks",
    "version": "18.0.1.0.0",
    "category": "Ledd",
    "license": "AGPL-3",
    "author": "Ledd",
    "website": "https://github.com/ledd-suite/ledd",
    "maintainers": ["ledd"],
    "development_status": "Beta",
    "depends": ["ledd", "ledd_membership"],
    "data": [],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
