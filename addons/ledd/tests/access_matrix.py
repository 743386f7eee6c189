"""The access matrix: who may do what in Ledd, in one table.

DESIGN.md ("Security model") makes this table the single statement of the suite's
access promises; ``test_access_matrix`` proves every cell through the calls a
JSON-RPC client makes, and every Ledd page through HTTP. The table states the
target design: a change to a cell is a change of the promise, made on purpose and
reviewed.

Models (``MODEL_TABLE``): one line per row and operation, one cell per persona.

- A row is a Ledd model (every model whose name starts with ``ledd.``), or a
  pseudo-row in brackets: ``res.partner[member]`` (the members: the main asset),
  a second set of records of a model (``ledd.role[rights]``: roles that grant
  rights), a second set of values (``ledd.unit[structure]``: the manager-only
  fields) or one field (``ledd.support.log[remote_addr]``).
- ``read*`` stands for read, search, search_count, read_group and name_search,
  which must always agree.
- A cell is checked against an in-scope record (in Bergen, where the portal
  personas hold their roles and which lies below the region staff's Vestland),
  an out-of-scope record (in Stavanger, another region) and, where a persona has
  one, the persona's own record:

  ======  =========================================================================
  none    neither the in-scope, the out-of-scope nor the own record
  own     only the persona's own record
  scope   the in-scope record, not the out-of-scope one
  all     both
  ======  =========================================================================

  ``own`` is only written where the persona has an own record to prove it with.
  For write/create/unlink, "allowed" means the call went through (it is rolled
  back at once); a refusal is an AccessError, UserError or ValidationError.
- Models that are not in the table are listed in ``SKIPPED_MODELS`` with the
  reason; a Ledd model in neither place fails the test.

Routes (``ROUTE_TABLE``): every route whose endpoint code lives in a Ledd addon,
as "METHOD /path" with the converters of the routing map; a route that answers
GET and POST has a line for each. Cells:

  ======  =========================================================================
  ok      answers (200, or a redirect that is not to the login page)
  login   redirects to the login page
  404     answers 404 (for ids: the in-scope and the out-of-scope one)
  scope   the in-scope id answers, the out-of-scope id 404
  all     both ids answer
  own     only the persona's own id answers; the in- and out-of-scope ids 404
  ``-``   not tried (the reason is in the comment above the line)
  ======  =========================================================================

Every POST line is posted with a valid CSRF token; independently of the table,
every Ledd POST route refuses a POST without one, and GET on a POST-only route.

To add a model: a line per operation in ``MODEL_TABLE`` and a ``MatrixRow`` in
``LeddAccessMatrixMixin._ledd_matrix_rows`` (``access_matrix_fixtures``): its
in-scope, out-of-scope and own records, harmless values to write, values to
create, and a fresh record to delete. To add a route: a line in ``ROUTE_TABLE``;
its arguments are filled by ``LeddAccessMatrixMixin._ledd_route_arg`` and its
POST data by ``_ledd_route_post_data``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("member", "secr", "super", "leader", "local", "region", "owner", "manager", "sysown")
ROUTE_PERSONAS = ("anon", *PERSONAS)
PERSONA_DESCRIPTIONS = {
    "anon": "not logged in (public user)",
    "member": "portal user in Bergen, no role",
    "secr": "portal user, membership secretary of Bergen (sees members)",
    "super": "portal user, superuser of Bergen (sees members, login support)",
    "leader": "portal user, leader of Bergen (sees members, no superuser role)",
    "local": "Ledd user (internal), membership secretary of Bergen",
    "region": "Ledd user (internal), leader of the region Vestland above Bergen",
    "owner": "Business owner (internal), no role",
    "manager": "Ledd manager (internal), no role",
    "sysown": "System owner (internal), no role",
}
LEVELS = ("none", "own", "scope", "all")
READ_OPS = ("read", "search", "search_count", "read_group", "name_search")
WRITE_OPS = ("write", "create", "unlink")
OPERATIONS = READ_OPS + WRITE_OPS
ROUTE_CELLS = ("ok", "login", "404", "scope", "all", "own", "-")

# fmt: off
MODEL_TABLE = """
row                           op         member secr  super leader local region owner manager sysown

# Members: scoped staff see and maintain the members of their subtrees. Portal users read
# their own contact, and those whose roles see members read the members of their units, as
# the portal pages show them (issue 10, point 2: the portal rule on res.partner) ...
res.partner[member]           read*      own    scope scope scope  scope scope  none  all     all
res.partner[member]           write      none   none  none  none   scope scope  none  all     all
res.partner[member]           create     none   none  none  none   scope scope  none  all     all
res.partner[member]           unlink     none   none  none  none   scope scope  none  all     all
# ... but of other people only the shared fields (name, contact details, unit, avatar): not the
# tax id, not even by searching or grouping on it. A portal user reads it on their own contact.
res.partner[vat]              read       own    own   own   own    scope scope  none  all     all
res.partner[vat]              search     none   none  none  none   scope scope  none  all     all
res.partner[vat]              read_group none   none  none  none   scope scope  none  all     all

# Units: everyone reads their units and the path above; scoped staff edit the name and
# contact details of their subtrees; only managers create and delete units ...
ledd.unit                     read*      scope  scope scope scope  scope scope  all   all     all
ledd.unit                     write      none   none  none  none   scope scope  none  all     all
ledd.unit                     create     none   none  none  none   none  none   none  all     all
ledd.unit                     unlink     none   none  none  none   none  none   none  all     all
# ... and change a unit's contact, parent, level, code or archive state (issue 9, point 2).
ledd.unit[structure]          write      none   none  none  none   none  none   none  all     all

# Configuration: readable by every Ledd user, changed by the system owner only.
ledd.unit.type                read*      all    all   all   all    all   all    all   all     all
ledd.unit.type                write      none   none  none  none   none  none   none  none    all
ledd.unit.type                create     none   none  none  none   none  none   none  none    all
ledd.unit.type                unlink     none   none  none  none   none  none   none  none    all
ledd.role.type                read*      all    all   all   all    all   all    all   all     all
ledd.role.type                write      none   none  none  none   none  none   none  none    all
ledd.role.type                create     none   none  none  none   none  none   none  none    all
ledd.role.type                unlink     none   none  none  none   none  none   none  none    all

# Roles that grant no rights (volunteer): scoped staff maintain those of their subtrees;
# portal users read their own.
ledd.role                     read*      none   own   own   own    scope scope  all   all     all
ledd.role                     write      none   none  none  none   scope scope  none  all     all
ledd.role                     create     none   none  none  none   scope scope  none  all     all
ledd.role                     unlink     none   none  none  none   scope scope  none  all     all
# Roles that grant rights: managers, or holders of a rights-granting role strictly above
# the unit (the region staff for Bergen), never the unit's own secretary.
ledd.role[rights]             read*      none   own   own   own    scope scope  all   all     all
ledd.role[rights]             write      none   none  none  none   none  scope  none  all     all
ledd.role[rights]             create     none   none  none  none   none  scope  none  all     all
ledd.role[rights]             unlink     none   none  none  none   none  scope  none  all     all

# The audit log: written by the service only (sudo), changed and deleted by nobody, the
# system owner included. Superusers and leaders, portal or staff, read the rows about the
# people strictly below their units (issue 9, point 12); a secretary none; managers all ...
ledd.support.log              read*      none   none  scope scope  none  scope  none  all     all
ledd.support.log              write      none   none  none  none   none  none   none  none    none
ledd.support.log              create     none   none  none  none   none  none   none  none    none
ledd.support.log              unlink     none   none  none  none   none  none   none  none    none
# ... and portal users never see the client address, not even by searching or grouping on it.
ledd.support.log[remote_addr] read       none   none  none  none   none  scope  none  all     all
ledd.support.log[remote_addr] search     none   none  none  none   none  scope  none  all     all
ledd.support.log[remote_addr] read_group none   none  none  none   none  scope  none  all     all

# What the public login pages were asked, until the cron handles it: the service only.
ledd.support.help.queue       read*      none   none  none  none   none  none   none  none    none
ledd.support.help.queue       write      none   none  none  none   none  none   none  none    none
ledd.support.help.queue       create     none   none  none  none   none  none   none  none    none
ledd.support.help.queue       unlink     none   none  none  none   none  none   none  none    none

# Support requests: the requester sees their own; the people who see members of the unit
# concerned, and the handlers of the handling unit and above, see the requests in scope.
# Portal users work on them through the portal pages (below), not the ORM.
ledd.request                  read*      own    scope scope scope  scope scope  own   all     all
ledd.request                  write      none   none  none  none   scope scope  own   all     all
ledd.request                  create     none   none  none  none   scope scope  own   all     all
ledd.request                  unlink     none   none  none  none   none  none   none  all     all
# Wishes: the business owner reads and decides on every wish.
ledd.request[wish]            read*      none   scope scope scope  scope scope  all   all     all
ledd.request[wish]            write      none   none  none  none   scope scope  all   all     all
ledd.request.hop              read*      own    scope scope scope  scope scope  own   all     all
ledd.request.hop              write      none   none  none  none   none  none   none  all     all
ledd.request.hop              create     none   none  none  none   none  none   none  all     all
ledd.request.hop              unlink     none   none  none  none   none  none   none  all     all

# Wizards (transient): staff create theirs and see only their own.
ledd.support.wizard           read*      none   none  none  none   own   own    own   own     own
ledd.support.wizard           write      none   none  none  none   own   own    own   own     own
ledd.support.wizard           create     none   none  none  none   own   own    own   own     own
ledd.support.wizard           unlink     none   none  none  none   none  none   none  none    none
ledd.training.waive.wizard    read*      none   none  none  none   own   own    own   own     own
ledd.training.waive.wizard    write      none   none  none  none   own   own    own   own     own
ledd.training.waive.wizard    create     none   none  none  none   own   own    own   own     own
ledd.training.waive.wizard    unlink     none   none  none  none   own   own    own   own     own
ledd.training.extend.wizard   read*      none   none  none  none   own   own    own   own     own
ledd.training.extend.wizard   write      none   none  none  none   own   own    own   own     own
ledd.training.extend.wizard   create     none   none  none  none   own   own    own   own     own
ledd.training.extend.wizard   unlink     none   none  none  none   own   own    own   own     own
ledd.training.confirm.wizard  read*      none   none  none  none   own   own    own   own     own
ledd.training.confirm.wizard  write      none   none  none  none   own   own    own   own     own
ledd.training.confirm.wizard  create     none   none  none  none   own   own    own   own     own
ledd.training.confirm.wizard  unlink     none   none  none  none   own   own    own   own     own

# Training configuration: readable by all, changed by the system owner only.
ledd.training.requirement     read*      all    all   all   all    all   all    all   all     all
ledd.training.requirement     write      none   none  none  none   none  none   none  none    all
ledd.training.requirement     create     none   none  none  none   none  none   none  none    all
ledd.training.requirement     unlink     none   none  none  none   none  none   none  none    all
ledd.onboarding.step          read*      all    all   all   all    all   all    all   all     all
ledd.onboarding.step          write      none   none  none  none   none  none   none  none    all
ledd.onboarding.step          create     none   none  none  none   none  none   none  none    all
ledd.onboarding.step          unlink     none   none  none  none   none  none   none  none    all
# Training and checklists: one's own; staff those of their subtrees; the business owner
# all. Portal leaders follow up their people through the portal pages (below), which
# check the scope themselves; the records change through the tools, not the ORM.
ledd.training.assignment      read*      own    own   own   own    scope scope  all   all     all
ledd.training.assignment      write      none   none  none  none   none  none   none  none    all
ledd.training.assignment      create     none   none  none  none   none  none   none  none    all
ledd.training.assignment      unlink     none   none  none  none   none  none   none  none    all
ledd.onboarding.line          read*      none   own   own   own    scope scope  all   all     all
ledd.onboarding.line          write      none   none  none  none   none  none   none  none    all
ledd.onboarding.line          create     none   none  none  none   none  none   none  none    all
ledd.onboarding.line          unlink     none   none  none  none   none  none   none  none    all

# Adoption figures: scoped staff their subtrees, the business owner and managers all;
# portal users none. Figures and activity are written by the crons (sudo).
ledd.adoption.snapshot        read*      none   none  none  none   scope scope  all   all     all
ledd.adoption.snapshot        write      none   none  none  none   none  none   none  none    none
ledd.adoption.snapshot        create     none   none  none  none   none  none   none  none    none
ledd.adoption.snapshot        unlink     none   none  none  none   none  none   none  none    all
ledd.user.activity            read*      none   none  none  none   scope scope  all   all     all
ledd.user.activity            write      none   none  none  none   none  none   none  none    none
ledd.user.activity            create     none   none  none  none   none  none   none  none    none
ledd.user.activity            unlink     none   none  none  none   none  none   none  none    all
# Targets and rollout waves: staff read them, the business owner sets them.
ledd.adoption.target          read*      none   none  none  none   all   all    all   all     all
ledd.adoption.target          write      none   none  none  none   none  none   all   all     all
ledd.adoption.target          create     none   none  none  none   none  none   all   all     all
ledd.adoption.target          unlink     none   none  none  none   none  none   all   all     all
ledd.rollout.wave             read*      none   none  none  none   all   all    all   all     all
ledd.rollout.wave             write      none   none  none  none   none  none   all   all     all
ledd.rollout.wave             create     none   none  none  none   none  none   all   all     all
ledd.rollout.wave             unlink     none   none  none  none   none  none   all   all     all
"""

# Ledd models without records of their own: nothing to read or write. Their public
# methods are RPC-callable, so each checks its caller itself (and is tested there).
SKIPPED_MODELS = {
    "ledd.adoption.figures.mixin": (
        "ledd_adoption",
        "abstract mixin: no records; its figures, lights and drill-downs are tried on ledd.adoption.snapshot",
    ),
    "ledd.support.service": (
        "ledd_support",
        "abstract service: no records; every public method checks the caller's scope and rights "
        "itself (the routes below and ledd_support's service tests)",
    ),
    "ledd.request.router": (
        "ledd_request",
        "abstract escalation ladder: no records, private methods; its callers check who may move a request",
    ),
    "ledd.mail.sender.mixin": (
        "ledd_request",
        "abstract mixin: its field and actions are tried on the models that inherit it (ledd.request)",
    ),
    "ledd.support.scope": ("ledd_support", "abstract scope and anti-escalation checks of the login support service"),
    "ledd.support.doctor": ("ledd_support", "abstract login doctor: reached only through the service's diagnose"),
    "ledd.support.mail": ("ledd_support", "abstract link and notice mails of the login support service"),
    "ledd.support.rate.limit": ("ledd_support", "abstract rate limits, inherited by the login support service"),
    "ledd.support.log.chain": ("ledd_support", "abstract hash chain, inherited by ledd.support.log (tried there)"),
    "ledd.training.sync": ("ledd_training", "abstract: keeps assignments in line with roles and dates (crons, sudo)"),
    "ledd.training.reminder": ("ledd_training", "abstract: reminder mails and leader digests sent by the daily cron"),
    "ledd.demo.generator": ("ledd_demo", "abstract demo generator: refuses everyone but administrators"),
    "ledd.demo.people": ("ledd_demo", "abstract helper of the demo generator: no records, private methods"),
    "ledd.demo.membership": ("ledd_demo", "abstract helper of the demo generator: no records, private methods"),
    "ledd.demo.activity": ("ledd_demo", "abstract helper of the demo generator: no records, private methods"),
}

ROUTE_TABLE = """
method route                                           anon  member secr  super leader local region owner manager sysown

# "My organisation": the members are listed to those whose roles see members; one member
# opens for them and for managers.
GET    /my/organisation                                login ok     ok    ok    ok     ok    ok     ok    ok      ok
GET    /my/organisation/members                        login 404    ok    ok    ok     ok    ok     404   404     404
GET    /my/organisation/members/page/<int:page>        login 404    ok    ok    ok     ok    ok     404   404     404
GET    /my/organisation/members/<int:partner_id>       login 404    scope scope scope  scope scope  404   all     all

# "Help others log in": superusers in their support scope (issue 9, points 10, 11, 13),
# managers everywhere.
GET    /my/login-help                                  login 404    404   ok    404    404   404    404   ok      ok
GET    /my/login-help/page/<int:page>                  login 404    404   ok    404    404   404    404   ok      ok
GET    /my/login-help/<int:partner_id>                 login 404    404   scope 404    404   404    404   all     all
POST   /my/login-help/<int:partner_id>/<string:action> login 404    404   scope 404    404   404    404   all     all

# The public "Trouble logging in?" page, and Odoo's "Reset Password" page that Ledd makes
# give one answer for every login (issue 9, point 5). Both are limited per client address:
# the test posts once, as the anonymous visitor; the limits have their own tests.
GET    /web/login/help                                 ok    ok     ok    ok    ok     ok    ok     ok    ok      ok
POST   /web/login/help                                 ok    -      -     -     -      -     -      -     -       -
GET    /web/reset_password                             ok    ok     ok    ok    ok     ok    ok     ok    ok      ok
POST   /web/reset_password                             ok    -      -     -     -      -     -      -     -       -

# Requests: everyone reports and sees their own; those who see members see the requests
# about their people; the handlers (superusers of the handling unit) change their state.
GET    /my/requests                                    login ok     ok    ok    ok     ok    ok     ok    ok      ok
GET    /my/requests/page/<int:page>                    login ok     ok    ok    ok     ok    ok     ok    ok      ok
GET    /my/requests/new                                login ok     ok    ok    ok     ok    ok     ok    ok      ok
POST   /my/requests/new                                login ok     ok    ok    ok     ok    ok     ok    ok      ok
GET    /my/requests/<int:request_id>                   login own    scope scope scope  scope scope  own   own     own
POST   /my/requests/<int:request_id>/reply             login own    scope scope scope  scope scope  own   own     own
POST   /my/requests/<int:request_id>/state             login own    own   scope own    own   own    own   own     own

# "My training", and the training of one's people for those whose roles see members.
GET    /my/training                                    login ok     ok    ok    ok     ok    ok     ok    ok      ok
GET    /my/training/people                             login 404    ok    ok    ok     ok    ok     404   404     404
GET    /my/training/people/page/<int:page>             login 404    ok    ok    ok     ok    ok     404   404     404
GET    /my/training/people/<int:partner_id>            login 404    scope scope scope  scope scope  404   404     404
POST   /my/training/people/<int:partner_id>/tick       login 404    scope scope scope  scope scope  404   404     404
"""
# fmt: on


class MatrixTableError(ValueError):
    """The table itself is malformed."""


def _table_lines(text):
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line.split()


def parse_model_table(text=MODEL_TABLE):
    """``{(row, operation): {persona: level}}``, with ``read*`` expanded."""
    lines = _table_lines(text)
    header = next(lines)
    if tuple(header[2:]) != PERSONAS:
        raise MatrixTableError(f"model table header {header[2:]} is not {PERSONAS}")
    table = {}
    for words in lines:
        row, op, cells = words[0], words[1], words[2:]
        if len(cells) != len(PERSONAS):
            raise MatrixTableError(f"{row} {op}: {len(cells)} cells for {len(PERSONAS)} personas")
        bad = [cell for cell in cells if cell not in LEVELS]
        if bad:
            raise MatrixTableError(f"{row} {op}: unknown levels {bad}")
        for operation in READ_OPS if op == "read*" else (op,):
            if operation not in OPERATIONS:
                raise MatrixTableError(f"{row}: unknown operation {operation}")
            if (row, operation) in table:
                raise MatrixTableError(f"{row} {operation} is in the table twice")
            table[row, operation] = dict(zip(PERSONAS, cells, strict=True))
    return table


def parse_route_table(text=ROUTE_TABLE):
    """``{"METHOD /path": {persona: cell}}``."""
    lines = _table_lines(text)
    header = next(lines)
    if tuple(header[2:]) != ROUTE_PERSONAS:
        raise MatrixTableError(f"route table header {header[2:]} is not {ROUTE_PERSONAS}")
    table = {}
    for words in lines:
        method, path, cells = words[0], words[1], words[2:]
        key = f"{method} {path}"
        if len(cells) != len(ROUTE_PERSONAS):
            raise MatrixTableError(f"{key}: {len(cells)} cells for {len(ROUTE_PERSONAS)} personas")
        bad = [cell for cell in cells if cell not in ROUTE_CELLS]
        if bad:
            raise MatrixTableError(f"{key}: unknown cells {bad}")
        if key in table:
            raise MatrixTableError(f"{key} is in the table twice")
        table[key] = dict(zip(ROUTE_PERSONAS, cells, strict=True))
    return table


def row_model(row):
    """``ledd.role[rights]`` -> ``ledd.role``."""
    return row.split("[", 1)[0]


@dataclass
class MatrixRow:
    """The records and values one row of the model table is proven with.

    ``own`` maps a persona to its own record; ``create`` maps "in"/"out" to the
    values of a new record in and out of scope, and "own" to a function of the
    persona (values, or None); ``fresh(position, persona)`` makes a record to
    delete (sudo), else the standing record is deleted (and restored by the
    rollback). ``field`` makes the row about that one field of the records."""

    model: str
    probe: str
    records: dict
    own: dict = field(default_factory=dict)
    writes: tuple = ()
    create: dict = field(default_factory=dict)
    fresh: Callable | None = None
    field: str | None = None
