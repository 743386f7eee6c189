import csv
import json
import logging
import os
import random
import unicodedata
from collections import defaultdict
from itertools import accumulate
from pathlib import Path

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .demo_names import FIRST_NAMES, GROUP_KINDS, LAST_NAMES

_logger = logging.getLogger(__name__)

DATA_FILE = "no_municipalities_2024.csv"
DOCKER_DATA_DIR = "/mnt/ledd-data"
DEFAULT_SEED = 2024
DEFAULT_PREFIX = "DEMO"
DEMO_PASSWORD = "ledd-demo"  # noqa: S105 - printed by `make run` on purpose, demo databases only
BATCH = 2000

# regions: how many regions get local branches (in this order); local_cap: at
# most this many local branches per region; groups: groups in all; members;
# portal: portal users. XS is for tests.
SIZES = {
    "XS": {"regions": 2, "local_cap": 2, "groups": 1, "members": 40, "portal": 4},
    "S": {"regions": 4, "local_cap": 6, "groups": 4, "members": 450, "portal": 12},
    "M": {"regions": 15, "local_cap": 8, "groups": 20, "members": 10000, "portal": 500},
    "L": {"regions": 15, "local_cap": 30, "groups": 75, "members": 100000, "portal": 5000},
}
# Vestland first: the demo logins live in Bergen.
REGION_ORDER = ["46", "03", "11", "50", "42", "32", "18", "34", "15", "31", "33", "39", "40", "55", "56"]
# Share of members in each membership situation (cumulative).
MEMBERSHIP_MIX = [(0.72, "paid"), (0.79, "invoiced"), (0.84, "waiting"), (0.93, "old"), (0.96, "free"), (1.0, "none")]
QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


def _demo_domain(prefix):
    """E-mail domain of the people of a demo organisation."""
    return "example.org" if prefix == DEFAULT_PREFIX else f"{_slug(prefix)}.example.org"


def _slug(text):
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in text if char.isalnum())


class LeddDemoGenerator(models.AbstractModel):
    _name = "ledd.demo.generator"
    _description = "Ledd Demo Organisation Generator"

    # ------------------------------------------------------------ entry points
    @api.model
    def _ledd_demo_size(self):
        size = os.environ.get("LEDD_DEMO_SIZE") or self.env["ir.config_parameter"].sudo().get_param("ledd_demo.size")
        return (size or "S").strip().upper()

    @api.model
    def _ledd_demo_exists(self, code_prefix=DEFAULT_PREFIX):
        return bool(
            self.env["ledd.unit"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("code", "=", f"{code_prefix}-N")])
        )

    @api.model
    def generate(self, size=None, seed=DEFAULT_SEED, code_prefix=DEFAULT_PREFIX):
        """Generate a demo organisation and return what was made.

        :param size: "S", "M", "L" (or "XS" for tests); default from the
            environment variable LEDD_DEMO_SIZE, else the system parameter
            ``ledd_demo.size``, else "S"
        :param seed: seed of the random generator: the same seed gives the same
            organisation, names included
        :param code_prefix: prefix of the unit codes (and of the logins when it is
            not the default): several demo organisations can live side by side
        :return: dict with the ``units``, ``members`` (res.partner), ``roles``,
            ``users``, ``logins``, training ``assignments`` and support
            ``requests`` created
        """
        if not (self.env.is_superuser() or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only administrators may generate a demo organisation."))
        size = (size or self._ledd_demo_size()).upper()
        if size not in SIZES:
            raise UserError(
                self.env._("Unknown demo size %(size)s: use one of %(sizes)s.", size=size, sizes=", ".join(SIZES))
            )
        if self._ledd_demo_exists(code_prefix):
            raise UserError(
                self.env._(
                    "A demo organisation with the unit code prefix %(prefix)s exists already.", prefix=code_prefix
                )
            )
        # Checked above: only administrators get here.
        generator = self.sudo().with_context(**QUIET_CONTEXT)
        return generator._generate(size, SIZES[size], random.Random(seed), code_prefix)  # noqa: S311 - reproducible data, no secret

    def _generate(self, size, params, rng, prefix):
        _logger.info("ledd_demo: generating size %s (prefix %s)", size, prefix)
        counties = self._ledd_read_municipalities()
        units, tree = self._ledd_create_units(params, rng, prefix, counties)
        _logger.info("ledd_demo: %s units", len(units))
        members, people = self._ledd_create_members(params, rng, prefix, tree)
        people_generator = self.env["ledd.demo.people"]
        users, logins = people_generator._ledd_create_login_users(rng, prefix, tree, people)
        activity_generator = self.env["ledd.demo.activity"]
        # before the roles: creating the roles in one batch then assigns their training
        activity_generator._ledd_training_requirements()
        roles = people_generator._ledd_create_roles(rng, tree, people, users)
        users |= people_generator._ledd_create_portal_users(params, rng, tree, people, roles, users)
        self.env["ledd.demo.membership"]._ledd_create_memberships(rng, members, people)
        activity_generator._ledd_create_activity(rng, users)
        assignments = activity_generator._ledd_progress_training(rng, roles)
        requests = activity_generator._ledd_create_requests(rng, tree, people)
        self.env["ir.config_parameter"].set_param("ledd_demo.logins", json.dumps(logins, ensure_ascii=False))
        _logger.info(
            "ledd_demo: done: %s units, %s members, %s roles, %s users",
            len(units),
            len(members),
            len(roles),
            len(users),
        )
        return {
            "units": units,
            "members": members,
            "roles": roles,
            "users": users,
            "logins": logins,
            "assignments": assignments,
            "requests": requests,
        }

    # ------------------------------------------------------------ source data
    @api.model
    def _ledd_data_candidates(self):
        """Where the municipality file is looked for, in this order."""
        candidates = []
        if os.environ.get("LEDD_DATA_DIR"):
            candidates.append(Path(os.environ["LEDD_DATA_DIR"]) / DATA_FILE)
        # the repository: <repository>/addons/ledd_demo/models/ -> <repository>/data
        candidates.append(Path(__file__).resolve().parents[3] / "data" / DATA_FILE)
        candidates.append(Path(DOCKER_DATA_DIR) / DATA_FILE)
        return candidates

    @api.model
    def _ledd_data_file(self):
        candidates = self._ledd_data_candidates()
        for path in candidates:
            if path.is_file():
                return path
        raise UserError(
            self.env._(
                "The demo data file %(file)s was not found. Looked in: %(places)s. Set the "
                "environment variable LEDD_DATA_DIR to the folder that holds it.",
                file=DATA_FILE,
                places=", ".join(str(path) for path in candidates),
            )
        )

    @api.model
    def _ledd_read_municipalities(self):
        """{county_code: {"name": county, "municipalities": [(code, name)]}} in file order."""
        counties = {}
        with self._ledd_data_file().open(encoding="utf-8", newline="") as data:
            for row in csv.DictReader(data):
                county = counties.setdefault(row["county_code"], {"name": row["county_name"], "municipalities": []})
                county["municipalities"].append((row["municipality_code"], row["municipality_name"]))
        if not counties:
            raise UserError(self.env._("The demo data file holds no municipalities."))
        return counties

    # ------------------------------------------------------------ units
    def _ledd_create_units(self, params, rng, prefix, counties):
        Unit = self.env["ledd.unit"]
        ref = self.env.ref
        national_name = "Ledd Norge" if prefix == DEFAULT_PREFIX else f"Ledd Norge {prefix}"
        national = Unit.create(
            {
                "name": national_name,
                "code": f"{prefix}-N",
                "type_id": ref("ledd_base.unit_type_national").id,
                "email": f"post@{_demo_domain(prefix)}",
            }
        )
        region_codes = [code for code in REGION_ORDER if code in counties]
        region_codes += [code for code in counties if code not in REGION_ORDER]
        regions = Unit.create(
            [
                {
                    "name": counties[code]["name"],
                    "code": f"{prefix}-R{code}",
                    "type_id": ref("ledd_base.unit_type_region").id,
                    "parent_id": national.id,
                }
                for code in region_codes
            ]
        )
        populated = regions[: params["regions"]]
        local_vals = []
        local_region = []
        for region, code in zip(regions, region_codes, strict=True):
            if region not in populated:
                continue
            municipalities = counties[code]["municipalities"]
            chosen = sorted(rng.sample(municipalities, min(params["local_cap"], len(municipalities))))
            for municipality_code, municipality_name in chosen:
                local_vals.append(
                    {
                        "name": municipality_name,
                        "code": f"{prefix}-L{municipality_code}",
                        "type_id": ref("ledd_base.unit_type_local").id,
                        "parent_id": region.id,
                    }
                )
                local_region.append(region)
        locals_ = Unit.create(local_vals)
        group_vals = []
        for index, local in enumerate(sorted(rng.sample(list(locals_), min(params["groups"], len(locals_))))):
            group_vals.append(
                {
                    "name": f"{local.name} {rng.choice(GROUP_KINDS)}",
                    "code": f"{local.code.replace('-L', '-G', 1)}-{index + 1}",
                    "type_id": ref("ledd_base.unit_type_group").id,
                    "parent_id": local.id,
                }
            )
        groups = Unit.create(group_vals)
        tree = {
            "national": national,
            "regions": regions,
            "populated": populated,
            "locals": locals_,
            "groups": groups,
            "region_of": {local.id: region for local, region in zip(locals_, local_region, strict=True)},
            "groups_of": defaultdict(list),
        }
        for group in groups:
            tree["groups_of"][group.parent_id.id].append(group)
        return national | regions | locals_ | groups, tree

    # ------------------------------------------------------------ members
    def _ledd_create_members(self, params, rng, prefix, tree):
        """Members spread over the local branches (a few in groups and regions).

        Returns the partners and ``people``: {unit_id: [partner_id]} by home unit,
        plus "state" {partner_id: membership situation}."""
        locals_ = tree["locals"]
        weights = [rng.uniform(0.4, 2.5) for _local in locals_]
        cum_weights = list(accumulate(weights))
        country = self.env.ref("base.no", raise_if_not_found=False)
        domain = _demo_domain(prefix)
        total = params["members"]
        people = {"by_unit": defaultdict(list), "state": {}}
        partner_model = self.env["res.partner"]
        # The defaults are the same for every member: computed once, not per record.
        defaults = partner_model.default_get(list(partner_model._fields))
        members = partner_model.browse()
        for start in range(0, total, BATCH):
            vals_list = []
            states = []
            for index in range(start, min(start + BATCH, total)):
                local = rng.choices(locals_, cum_weights=cum_weights)[0]
                home = local
                draw = rng.random()
                if draw < 0.03:
                    home = tree["region_of"][local.id]
                elif draw < 0.13 and tree["groups_of"].get(local.id):
                    home = rng.choice(tree["groups_of"][local.id])
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                situation = rng.random()
                state = next(name for limit, name in MEMBERSHIP_MIX if situation < limit)
                states.append(state)
                vals_list.append(
                    {
                        **defaults,
                        "name": f"{first} {last}",
                        "email": f"{_slug(first)}.{_slug(last)}.{index + 1}@{domain}",
                        "phone": f"+47 {rng.choice('49')}{rng.randint(0, 99):02d} {rng.randint(0, 99):02d} "
                        f"{rng.randint(0, 999):03d}",
                        "city": local.name,
                        "country_id": country.id if country else False,
                        "ledd_unit_id": home.id,
                        "free_member": state == "free",
                    }
                )
            batch = partner_model.create(vals_list)
            for partner, state in zip(batch, states, strict=True):
                people["by_unit"][partner.ledd_unit_id.id].append(partner.id)
                people["state"][partner.id] = state
            members |= batch
            # Store the batch now: progress is real and pending computations stay small.
            self.env.flush_all()
            _logger.info("ledd_demo: %s/%s members", len(members), total)
        return members, people
