import logging
from datetime import date, timedelta

from odoo import Command, models

from .demo_names import FIRST_NAMES, LAST_NAMES
from .ledd_demo_generator import DEFAULT_PREFIX, DEMO_PASSWORD, _demo_domain, _slug

_logger = logging.getLogger(__name__)


class LeddDemoPeople(models.AbstractModel):
    """Logins, roles and portal users of a demo organisation (called by
    ``ledd.demo.generator``, which checks the caller's rights)."""

    _name = "ledd.demo.people"
    _description = "Ledd Demo People Generator"

    # ------------------------------------------------------------ users and roles
    def _ledd_create_login_users(self, rng, prefix, tree, people):
        """The four people whose logins `make run` prints (the admin is the fifth)."""
        login_prefix = "" if prefix == DEFAULT_PREFIX else f"{_slug(prefix)}-"
        domain = _demo_domain(prefix)
        Users = self.env["res.users"]
        region = tree["populated"][0]
        local = tree["locals"].filtered(lambda unit: unit.parent_id == region)[:1] or tree["locals"][:1]
        local_people = people["by_unit"][local.id]
        superuser_partner, member_partner = rng.sample(local_people, 2)
        people["reserved"] = {superuser_partner, member_partner}
        staff = Users.create(
            {
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "login": f"{login_prefix}nasjonal",
                "email": f"nasjonal@{domain}",
                "password": DEMO_PASSWORD,
                "groups_id": [Command.set([self.env.ref("ledd_base.group_manager").id])],
                "ledd_unit_id": tree["national"].id,
            }
        )
        region_user = Users.create(
            {
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "login": f"{login_prefix}region",
                "email": f"region@{domain}",
                "password": DEMO_PASSWORD,
                "groups_id": [Command.set([self.env.ref("ledd_base.group_user").id])],
                "ledd_unit_id": region.id,
            }
        )
        portal = self.env.ref("base.group_portal")
        superuser = Users.create(
            {
                "partner_id": superuser_partner,
                "login": f"{login_prefix}superbruker",
                "password": DEMO_PASSWORD,
                "groups_id": [Command.set([portal.id])],
            }
        )
        member = Users.create(
            {
                "partner_id": member_partner,
                "login": f"{login_prefix}medlem",
                "password": DEMO_PASSWORD,
                "groups_id": [Command.set([portal.id])],
            }
        )
        tree["login_local"] = local
        users = staff | region_user | superuser | member
        logins = [
            {"who": "Administrator", "login": "admin", "password": "admin"},
            {"who": "National staff (all units)", "login": staff.login, "password": DEMO_PASSWORD},
            {"who": f"Region user, leader in {region.name}", "login": region_user.login, "password": DEMO_PASSWORD},
            {
                "who": f"Volunteer superuser in {local.name} (portal)",
                "login": superuser.login,
                "password": DEMO_PASSWORD,
            },
            {"who": f"Member in {local.name} (portal)", "login": member.login, "password": DEMO_PASSWORD},
        ]
        tree["login_users"] = {"staff": staff, "region": region_user, "superuser": superuser, "member": member}
        return users, logins

    def _ledd_subtree_people(self, unit, tree, people):
        unit_ids = [unit.id]
        if unit.type_id == self.env.ref("ledd_base.unit_type_region"):
            locals_ = tree["locals"].filtered(lambda local: local.parent_id == unit)
            unit_ids += locals_.ids + [group.id for local in locals_ for group in tree["groups_of"].get(local.id, [])]
        return [pid for unit_id in unit_ids for pid in people["by_unit"][unit_id] if pid not in people["reserved"]]

    def _ledd_create_roles(self, rng, tree, people, users):
        ref = self.env.ref
        leader = ref("ledd_base.role_type_leader")
        superuser = ref("ledd_base.role_type_superuser")
        secretary = ref("ledd_base.role_type_member_secretary")
        board = ref("ledd_base.role_type_board_member")
        volunteer = ref("ledd_base.role_type_volunteer")
        today = date.today()
        login_users = tree["login_users"]

        def since():
            return today - timedelta(days=rng.randint(30, 5 * 365))

        vals_list = [
            {
                "partner_id": login_users["staff"].partner_id.id,
                "unit_id": tree["national"].id,
                "role_type_id": board.id,
                "date_start": since(),
            }
        ]
        for region in tree["populated"]:
            candidates = self._ledd_subtree_people(region, tree, people)
            holders = rng.sample(candidates, min(2, len(candidates)))
            region_leader = (
                login_users["region"].partner_id.id
                if region == tree["populated"][0]
                else (holders.pop() if holders else None)
            )
            for partner_id, role_type in zip([region_leader, *holders], [leader, superuser, secretary], strict=False):
                if partner_id:
                    vals_list.append(
                        {
                            "partner_id": partner_id,
                            "unit_id": region.id,
                            "role_type_id": role_type.id,
                            "date_start": since(),
                        }
                    )
        for local in tree["locals"]:
            candidates = self._ledd_subtree_people(local, tree, people)
            wanted = [leader, superuser, secretary] + [board] * rng.randint(1, 2) + [volunteer] * rng.randint(2, 4)
            if local == tree["login_local"]:
                vals_list.append(
                    {
                        "partner_id": login_users["superuser"].partner_id.id,
                        "unit_id": local.id,
                        "role_type_id": superuser.id,
                        "date_start": since(),
                    }
                )
                wanted.remove(superuser)
            holders = rng.sample(candidates, min(len(wanted) + 1, len(candidates)))
            for partner_id, role_type in zip(holders, wanted, strict=False):
                vals_list.append(
                    {"partner_id": partner_id, "unit_id": local.id, "role_type_id": role_type.id, "date_start": since()}
                )
            if len(holders) > len(wanted):
                # a former leader: handover history on the unit form
                start = today - timedelta(days=rng.randint(3 * 365, 8 * 365))
                vals_list.append(
                    {
                        "partner_id": holders[-1],
                        "unit_id": local.id,
                        "role_type_id": leader.id,
                        "date_start": start,
                        "date_end": start + timedelta(days=2 * 365),
                    }
                )
        for group in tree["groups"]:
            candidates = self._ledd_subtree_people(group, tree, people)
            if candidates:
                vals_list.append(
                    {
                        "partner_id": rng.choice(candidates),
                        "unit_id": group.id,
                        "role_type_id": leader.id,
                        "date_start": since(),
                    }
                )
        roles = self.env["ledd.role"].create(vals_list)
        _logger.info("ledd_demo: %s roles", len(roles))
        return roles

    def _ledd_create_portal_users(self, params, rng, tree, people, roles, users):
        """Portal access for holders of rights-granting roles first, then for
        some members. No password: they set one through "Reset password"."""
        wanted = max(params["portal"] - 2, 0)
        taken = set(users.partner_id.ids)
        chosen = []
        for partner_id in roles.filtered(lambda role: role.is_current and role.grants_rights).partner_id.ids:
            if partner_id not in taken and len(chosen) < wanted:
                chosen.append(partner_id)
                taken.add(partner_id)
        everyone = [pid for unit_ids in people["by_unit"].values() for pid in unit_ids if pid not in taken]
        chosen += rng.sample(everyone, min(wanted - len(chosen), len(everyone))) if len(chosen) < wanted else []
        partners = self.env["res.partner"].browse(chosen)
        portal = self.env.ref("base.group_portal").id
        created = self.env["res.users"]
        for start in range(0, len(partners), 500):
            created |= self.env["res.users"].create(
                [
                    {"partner_id": partner.id, "login": partner.email, "groups_id": [Command.set([portal])]}
                    for partner in partners[start : start + 500]
                ]
            )
            _logger.info("ledd_demo: %s/%s portal users", len(created), len(partners))
        return created
