"""The people and records the access matrix (``access_matrix``) is proven with."""

from datetime import date

from odoo import Command
from odoo.tests.common import new_test_user

from odoo.addons.ledd_support.tests.common import LeddSupportMixin

from .access_matrix import MatrixRow, MatrixTableError

WIZARD_WRITES = {
    "ledd.support.wizard": {"reason": "T Matrix changed"},
    "ledd.training.waive.wizard": {"reason": "T Matrix changed"},
    "ledd.training.extend.wizard": {"date_due": date(2099, 2, 1)},
    "ledd.training.confirm.wizard": {"note": "T Matrix"},
}


class LeddAccessMatrixMixin(LeddSupportMixin):
    """One persona per kind of person (see ``PERSONA_DESCRIPTIONS``) in Ledd's test
    organisation, and the records each row of the matrix is proven with: in Bergen
    (in scope for every persona with a role), in Stavanger (in nobody's scope but
    the national personas') and the personas' own."""

    MATRIX_DAY = date(2026, 1, 5)

    @classmethod
    def _create_access_matrix(cls):
        cls._create_ledd_support_organisation()
        env = cls.env
        Role = env["ledd.role"]
        cls.rt_board = env.ref("ledd_base.role_type_board_member")
        # A role type nobody holds, even with the demo organisation installed: new
        # requirements and steps for it create no assignments that would pin them.
        cls.rt_unheld = env["ledd.role.type"].create({"name": "T Matrix unheld", "code": "t_mx_unheld"})
        cls.user_mx_secretary = cls._ledd_portal_persona("t_mx_secretary", "Siv Sekretær", cls.rt_secretary)
        cls.user_mx_leader = cls._ledd_portal_persona("t_mx_leader", "Lars Leder", cls.rt_leader)
        cls.user_mx_owner = new_test_user(
            env, login="t_mx_owner", name="Frida Fagansvarlig", groups="base.group_user,ledd_base.group_business_owner"
        )
        cls.user_mx_sysowner = new_test_user(
            env, login="t_mx_sysowner", name="Sigurd Systemeier", groups="base.group_user,ledd_base.group_system_owner"
        )
        cls.persona_users = {
            "member": cls.user_portal,
            "secr": cls.user_mx_secretary,
            "super": cls.user_portal_super,
            "leader": cls.user_mx_leader,
            "local": cls.user_local,
            "region": cls.user_region,
            "owner": cls.user_mx_owner,
            "manager": cls.user_manager,
            "sysown": cls.user_mx_sysowner,
        }
        cls.persona_roles = {
            "secr": cls.user_mx_secretary.partner_id.ledd_role_ids,
            "super": cls.role_portal_super,
            "leader": cls.user_mx_leader.partner_id.ledd_role_ids,
            "local": cls.role_local,
            "region": cls.role_region,
        }

        Partner = env["res.partner"]
        cls.mx_company = Partner.create({"name": "T Matrix Kontor AS", "is_company": True})
        # A volunteer in Stavanger, and a rights-granting role in and out of scope.
        cls.role_out_volunteer = Role.create(
            {"partner_id": cls.member_l3.id, "unit_id": cls.unit_l3.id, "role_type_id": cls.rt_volunteer.id}
        )
        cls.mx_treasurer_in = Partner.create({"name": "Kari Kasserer", "ledd_unit_id": cls.unit_l1.id})
        cls.mx_treasurer_out = Partner.create({"name": "Kjell Kasserer", "ledd_unit_id": cls.unit_l3.id})
        cls.role_in_rights = Role.create(
            {"partner_id": cls.mx_treasurer_in.id, "unit_id": cls.unit_l1.id, "role_type_id": cls.rt_secretary.id}
        )
        cls.role_out_rights = Role.create(
            {"partner_id": cls.mx_treasurer_out.id, "unit_id": cls.unit_l3.id, "role_type_id": cls.rt_secretary.id}
        )
        cls._create_matrix_training()
        cls._create_matrix_support()
        cls._create_matrix_adoption()
        cls._create_matrix_wizards()
        cls._create_matrix_members()

    @classmethod
    def _create_matrix_members(cls):
        """A tax id on the members and on the portal personas' own contacts: a
        field portal users read of themselves only (``res.partner[vat]``)."""
        cls.member_l1.vat = "NO900000001"
        cls.member_l3.vat = "NO900000003"
        for persona in ("member", "secr", "super", "leader"):
            user = cls.persona_users[persona]
            user.partner_id.vat = f"NO9100000{user.id}"

    @classmethod
    def _ledd_portal_persona(cls, login, name, role_type):
        user = new_test_user(cls.env, login=login, name=name, groups="base.group_portal")
        user.partner_id.write({"ledd_unit_id": cls.unit_l1.id, "email": f"{login}@example.com"})
        cls.env["ledd.role"].create(
            {"partner_id": user.partner_id.id, "unit_id": cls.unit_l1.id, "role_type_id": role_type.id}
        )
        return user

    @classmethod
    def _create_matrix_training(cls):
        """An attestation and a manual checklist step for every role type the
        personas hold: everyone with a role has their own assignment and line."""
        env = cls.env
        Requirement = env["ledd.training.requirement"]
        Step = env["ledd.onboarding.step"]
        for role_type in (cls.rt_volunteer, cls.rt_secretary, cls.rt_superuser, cls.rt_leader):
            Requirement.create(
                {"name": f"T Attest {role_type.code}", "role_type_id": role_type.id, "kind": "attestation"}
            )
            Step.create({"name": f"T Step {role_type.code}", "role_type_id": role_type.id, "check": "manual"})
        cls.mx_requirement = Requirement.search([("name", "=", "T Attest volunteer")])
        cls.mx_step = Step.search([("name", "=", "T Step volunteer")])
        cls.mx_requirement_board = Requirement.create(
            {"name": "T Attest board", "role_type_id": cls.rt_board.id, "kind": "attestation"}
        )
        cls.mx_step_board = Step.create({"name": "T Step board", "role_type_id": cls.rt_board.id, "check": "manual"})
        Assignment = env["ledd.training.assignment"]
        Line = env["ledd.onboarding.line"]
        # The demo organisation, when installed, adds requirements of its own: take ours.
        mine = [("requirement_id", "=", cls.mx_requirement.id)]
        cls.assignment_in = Assignment.search([("partner_id", "=", cls.member_l1.id), *mine])
        cls.assignment_out = Assignment.search([("partner_id", "=", cls.member_l3.id), *mine])
        cls.line_in = Line.search([("partner_id", "=", cls.member_l1.id), ("step_id", "=", cls.mx_step.id)])
        cls.line_out = Line.search([("partner_id", "=", cls.member_l3.id), ("step_id", "=", cls.mx_step.id)])
        # The member holds no role: an assignment given to him by hand is his own.
        Assignment.create(
            {
                "partner_id": cls.user_portal.partner_id.id,
                "requirement_id": cls.mx_requirement.id,
                "unit_id": cls.unit_l1.id,
            }
        )
        cls.own_assignments = {
            persona: Assignment.search([("partner_id", "=", user.partner_id.id)], limit=1)
            for persona, user in cls.persona_users.items()
        }
        cls.own_lines = {
            persona: Line.search([("partner_id", "=", user.partner_id.id)], limit=1)
            for persona, user in cls.persona_users.items()
        }

    @classmethod
    def _create_matrix_support(cls):
        env = cls.env
        Log = env["ledd.support.log"].sudo()
        cls.mx_remote_addr = "192.0.2.10"
        log_values = {"action": "send_password_reset", "outcome": "refused", "code": "test", "channel": "portal"}
        cls.log_in = Log.create(
            {
                **log_values,
                "actor_id": cls.user_region_super.id,
                "actor_name": cls.user_region_super.name,
                "target_partner_id": cls.member_l1.id,
                "target_name": cls.member_l1.name,
                "target_unit_id": cls.unit_l1.id,
                "remote_addr": cls.mx_remote_addr,
            }
        )
        cls.log_out = Log.create(
            {
                **log_values,
                "actor_id": cls.user_sibling.id,
                "actor_name": cls.user_sibling.name,
                "target_partner_id": cls.member_l3.id,
                "target_name": cls.member_l3.name,
                "target_unit_id": cls.unit_l3.id,
                "remote_addr": cls.mx_remote_addr,
            }
        )
        cls.request_in = cls._mx_request(cls.member_l1, "question")
        cls.request_out = cls._mx_request(cls.member_l3, "question")
        cls.wish_in = cls._mx_request(cls.member_l1, "wish")
        cls.wish_out = cls._mx_request(cls.member_l3, "wish")
        cls.own_requests = {
            persona: cls._mx_request(user.partner_id, "question") for persona, user in cls.persona_users.items()
        }
        cls.hop_in, cls.hop_out = (cls._mx_hop(request) for request in (cls.request_in, cls.request_out))
        cls.own_hops = {persona: cls._mx_hop(request) for persona, request in cls.own_requests.items()}
        if "ledd.support.help.queue" in env:
            Queue = env["ledd.support.help.queue"].sudo()
            cls.queue_in = Queue.create({"kind": "help_contacts", "login": cls.member_l1.email})
            cls.queue_out = Queue.create({"kind": "help_contacts", "login": cls.member_l3.email})

    @classmethod
    def _mx_request(cls, partner, request_type):
        return cls.env["ledd.request"].create(
            {
                "name": f"T Matrix {request_type} of {partner.name}",
                "request_type": request_type,
                "requester_partner_id": partner.id,
            }
        )

    @classmethod
    def _mx_hop(cls, request):
        return cls.env["ledd.request.hop"].create(
            {"request_id": request.id, "from_unit_id": request.handling_unit_id.id, "reason": "manual"}
        )

    @classmethod
    def _create_matrix_adoption(cls):
        env = cls.env
        day = cls.MATRIX_DAY
        Snapshot = env["ledd.adoption.snapshot"]
        cls.snapshot_in = Snapshot.create({"date": day, "unit_id": cls.unit_l1.id})
        cls.snapshot_out = Snapshot.create({"date": day, "unit_id": cls.unit_l3.id})
        Target = env["ledd.adoption.target"]
        cls.target_in = Target.create({"kpi": "login_share", "unit_id": cls.unit_l1.id, "target": 50})
        cls.target_out = Target.create({"kpi": "login_share", "unit_id": cls.unit_l3.id, "target": 50})
        Wave = env["ledd.rollout.wave"]
        cls.wave_in = Wave.create({"name": "T Matrix wave Vestland"})
        cls.wave_out = Wave.create({"name": "T Matrix wave Rogaland"})
        Activity = env["ledd.user.activity"]
        Activity._record((cls.user_portal | cls.user_sibling).ids, day)
        cls.activity_in = Activity.search([("user_id", "=", cls.user_portal.id), ("date", "=", day)])
        cls.activity_out = Activity.search([("user_id", "=", cls.user_sibling.id), ("date", "=", day)])

    @classmethod
    def _create_matrix_wizards(cls):
        """Wizards made by someone else (a Ledd user of Stavanger, no persona) about
        people in and out of scope, and each internal persona's own."""
        internal = ("local", "region", "owner", "manager", "sysown")
        cls.wizards = {}
        for model, values in cls._mx_wizard_values().items():
            cls.wizards[model] = {
                "in": cls.env[model].with_user(cls.user_sibling).create(values("in")),
                "out": cls.env[model].with_user(cls.user_sibling).create(values("out")),
                "own": {
                    persona: cls.env[model].with_user(cls.persona_users[persona]).create(values("in"))
                    for persona in internal
                },
            }

    @classmethod
    def _mx_wizard_values(cls):
        def assignments(position):
            assignment = cls.assignment_in if position == "in" else cls.assignment_out
            return [Command.set(assignment.ids)]

        return {
            "ledd.support.wizard": lambda position: {
                "partner_id": (cls.member_l1 if position == "in" else cls.member_l3).id,
                "reason": "T Matrix",
            },
            "ledd.training.waive.wizard": lambda position: {
                "assignment_ids": assignments(position),
                "reason": "T Matrix",
            },
            "ledd.training.extend.wizard": lambda position: {
                "assignment_ids": assignments(position),
                "date_due": date(2099, 1, 1),
            },
            "ledd.training.confirm.wizard": lambda position: {
                "assignment_ids": assignments(position),
                "date_done": cls.MATRIX_DAY,
            },
        }

    # ------------------------------------------------------------------
    # The rows
    # ------------------------------------------------------------------
    @classmethod
    def _ledd_matrix_rows(cls):
        env = cls.env
        users = cls.persona_users
        portal_personas = ("member", "secr", "super", "leader")
        l1, l3 = cls.unit_l1, cls.unit_l3

        def in_out(position, inside, outside):
            return inside if position == "in" else outside

        def fresh_unit(position, persona):
            unit = env["ledd.unit"].create(
                {
                    "name": "T Matrix fresh",
                    "code": f"T-MX-FRESH-{position}",
                    "type_id": cls.type_group.id,
                    "parent_id": in_out(position, l1, l3).id,
                }
            )
            # The unit's own contact has the unit as home unit (ondelete restrict):
            # the database would refuse the deletion whoever asks. The cell is about rights.
            unit.partner_id.ledd_unit_id = unit.parent_id
            return unit

        def role_values(position, role_type):
            return {
                "partner_id": in_out(position, cls.member_g1, cls.member_l3).id,
                "unit_id": in_out(position, l1, l3).id,
                "role_type_id": role_type.id,
            }

        def role_row(records, role_type):
            """A role of ``role_type``: its own roles, one in and one out of scope."""
            return MatrixRow(
                model="ledd.role",
                probe="date_start",
                records=records,
                own=dict(cls.persona_roles),
                writes=({"date_end": date(2099, 12, 31)},),
                create={position: role_values(position, role_type) for position in ("in", "out")},
                fresh=lambda position, persona: env["ledd.role"].create(role_values(position, role_type)),
            )

        def fresh_named(model, values):
            def make(position, persona):
                return env[model].create({**values, "name": f"T Matrix fresh {position}"})

            return make

        def fresh_wizard(model):
            def make(position, persona):
                values = cls._mx_wizard_values()[model]("in")
                user = users[persona] if position == "own" else cls.user_sibling
                return env[model].with_user(user).create(values).sudo()

            return make

        def own_create(model):
            return lambda persona: cls._mx_wizard_values()[model]("in")

        rows = {
            "res.partner[member]": MatrixRow(
                model="res.partner",
                probe="name",
                records={"in": cls.member_l1, "out": cls.member_l3},
                own={persona: users[persona].partner_id for persona in portal_personas},
                writes=({"function": "T Matrix"},),
                create={
                    "in": {"name": "T Matrix new member", "ledd_unit_id": l1.id},
                    "out": {"name": "T Matrix new member", "ledd_unit_id": l3.id},
                },
                fresh=lambda position, persona: env["res.partner"].create(
                    {"name": "T Matrix fresh member", "ledd_unit_id": in_out(position, l1, l3).id}
                ),
            ),
            "res.partner[vat]": MatrixRow(
                model="res.partner",
                probe="name",
                records={"in": cls.member_l1, "out": cls.member_l3},
                own={persona: users[persona].partner_id for persona in portal_personas},
                field="vat",
            ),
            "ledd.unit": MatrixRow(
                model="ledd.unit",
                probe="name",
                records={"in": l1, "out": l3},
                writes=({"name": "T Matrix renamed"},),
                create={
                    position: {
                        "name": "T Matrix new unit",
                        "code": f"T-MX-NEW-{position}",
                        "type_id": cls.type_group.id,
                        "parent_id": in_out(position, l1, l3).id,
                    }
                    for position in ("in", "out")
                },
                fresh=fresh_unit,
            ),
            "ledd.unit[structure]": MatrixRow(
                model="ledd.unit",
                probe="name",
                records={"in": l1, "out": l3},
                writes=(
                    {"partner_id": cls.mx_company.id},
                    {"parent_id": cls.unit_n.id},
                    {"type_id": cls.type_group.id},
                    {"code": "T-MX-CODE"},
                    {"active": False},
                ),
            ),
            "ledd.unit.type": MatrixRow(
                model="ledd.unit.type",
                probe="name",
                records={"in": cls.type_local, "out": cls.type_region},
                writes=({"description": "T Matrix"},),
                create={
                    position: {"name": "T Matrix level", "code": f"t_mx_level_{position}"} for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.unit.type"].create(
                    {"name": "T Matrix fresh level", "code": f"t_mx_fresh_{position}"}
                ),
            ),
            "ledd.role.type": MatrixRow(
                model="ledd.role.type",
                probe="name",
                records={"in": cls.rt_volunteer, "out": cls.rt_board},
                writes=({"description": "T Matrix"},),
                create={
                    position: {"name": "T Matrix role", "code": f"t_mx_role_{position}"} for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.role.type"].create(
                    {"name": "T Matrix fresh role", "code": f"t_mx_fresh_{position}"}
                ),
            ),
            "ledd.role": role_row({"in": cls.role_volunteer, "out": cls.role_out_volunteer}, cls.rt_volunteer),
            "ledd.role[rights]": role_row({"in": cls.role_in_rights, "out": cls.role_out_rights}, cls.rt_secretary),
            "ledd.support.log": MatrixRow(
                model="ledd.support.log",
                probe="action",
                records={"in": cls.log_in, "out": cls.log_out},
                writes=({"reason": "T Matrix"},),
                create={
                    position: {
                        "action": "send_password_reset",
                        "outcome": "done",
                        "target_partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        "target_unit_id": in_out(position, l1, l3).id,
                    }
                    for position in ("in", "out")
                },
            ),
            "ledd.support.log[remote_addr]": MatrixRow(
                model="ledd.support.log",
                probe="action",
                records={"in": cls.log_in, "out": cls.log_out},
                field="remote_addr",
            ),
            "ledd.request": MatrixRow(
                model="ledd.request",
                probe="name",
                records={"in": cls.request_in, "out": cls.request_out},
                own=dict(cls.own_requests),
                writes=({"priority": "1"},),
                create={
                    **{
                        position: {
                            "name": "T Matrix new",
                            "request_type": "question",
                            "requester_partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        }
                        for position in ("in", "out")
                    },
                    "own": lambda persona: {
                        "name": "T Matrix new",
                        "request_type": "question",
                        "requester_partner_id": users[persona].partner_id.id,
                    },
                },
                fresh=lambda position, persona: cls._mx_request(
                    in_out(position, cls.member_l1, cls.member_l3), "error"
                ),
            ),
            "ledd.request[wish]": MatrixRow(
                model="ledd.request",
                probe="name",
                records={"in": cls.wish_in, "out": cls.wish_out},
                writes=({"decision": "planned"},),
            ),
            "ledd.request.hop": MatrixRow(
                model="ledd.request.hop",
                probe="date",
                records={"in": cls.hop_in, "out": cls.hop_out},
                own=dict(cls.own_hops),
                writes=({"note": "T Matrix"},),
                create={
                    position: {
                        "request_id": in_out(position, cls.request_in, cls.request_out).id,
                        "reason": "manual",
                    }
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: cls._mx_hop(in_out(position, cls.request_in, cls.request_out)),
            ),
            "ledd.training.requirement": MatrixRow(
                model="ledd.training.requirement",
                probe="name",
                records={"in": cls.mx_requirement, "out": cls.mx_requirement_board},
                writes=({"description": "T Matrix"},),
                create={
                    position: {
                        "name": f"T Matrix new {position}",
                        "role_type_id": cls.rt_unheld.id,
                        "kind": "attestation",
                    }
                    for position in ("in", "out")
                },
                fresh=fresh_named(
                    "ledd.training.requirement", {"role_type_id": cls.rt_unheld.id, "kind": "attestation"}
                ),
            ),
            "ledd.onboarding.step": MatrixRow(
                model="ledd.onboarding.step",
                probe="name",
                records={"in": cls.mx_step, "out": cls.mx_step_board},
                writes=({"description": "T Matrix"},),
                create={
                    position: {"name": f"T Matrix new {position}", "role_type_id": cls.rt_unheld.id}
                    for position in ("in", "out")
                },
                fresh=fresh_named("ledd.onboarding.step", {"role_type_id": cls.rt_unheld.id}),
            ),
            "ledd.training.assignment": MatrixRow(
                model="ledd.training.assignment",
                probe="state",
                records={"in": cls.assignment_in, "out": cls.assignment_out},
                own={persona: record for persona, record in cls.own_assignments.items() if record},
                writes=({"note": "T Matrix"},),
                create={
                    position: {
                        "partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        "requirement_id": cls.mx_requirement_board.id,
                        "unit_id": in_out(position, l1, l3).id,
                    }
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.training.assignment"].create(
                    {
                        "partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        "requirement_id": cls.mx_requirement_board.id,
                        "unit_id": in_out(position, l1, l3).id,
                    }
                ),
            ),
            "ledd.onboarding.line": MatrixRow(
                model="ledd.onboarding.line",
                probe="done",
                records={"in": cls.line_in, "out": cls.line_out},
                own={persona: record for persona, record in cls.own_lines.items() if record},
                writes=({"done": True},),
                create={
                    position: {
                        "role_id": in_out(position, cls.role_volunteer, cls.role_out_volunteer).id,
                        "step_id": cls.mx_step_board.id,
                        "partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        "unit_id": in_out(position, l1, l3).id,
                    }
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.onboarding.line"].create(
                    {
                        "role_id": in_out(position, cls.role_volunteer, cls.role_out_volunteer).id,
                        "step_id": cls.mx_step_board.id,
                        "partner_id": in_out(position, cls.member_l1, cls.member_l3).id,
                        "unit_id": in_out(position, l1, l3).id,
                    }
                ),
            ),
            "ledd.adoption.snapshot": MatrixRow(
                model="ledd.adoption.snapshot",
                probe="date",
                records={"in": cls.snapshot_in, "out": cls.snapshot_out},
                writes=({"member_count": 99},),
                create={
                    position: {"date": date(2026, 1, 6), "unit_id": in_out(position, l1, l3).id}
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.adoption.snapshot"].create(
                    {"date": date(2026, 1, 7), "unit_id": in_out(position, l1, l3).id}
                ),
            ),
            "ledd.user.activity": MatrixRow(
                model="ledd.user.activity",
                probe="date",
                records={"in": cls.activity_in, "out": cls.activity_out},
                writes=({"date": date(2026, 1, 8)},),
                create={
                    position: {
                        "user_id": in_out(position, cls.user_portal, cls.user_sibling).id,
                        "unit_id": in_out(position, l1, l3).id,
                        "date": date(2026, 1, 9),
                    }
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.user.activity"].create(
                    {
                        "user_id": in_out(position, cls.user_portal, cls.user_sibling).id,
                        "unit_id": in_out(position, l1, l3).id,
                        "date": date(2026, 1, 10),
                    }
                ),
            ),
            "ledd.adoption.target": MatrixRow(
                model="ledd.adoption.target",
                probe="kpi",
                records={"in": cls.target_in, "out": cls.target_out},
                writes=({"target": 60},),
                create={
                    position: {"kpi": "phone_share", "unit_id": in_out(position, l1, l3).id, "target": 50}
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.adoption.target"].create(
                    {"kpi": "address_share", "unit_id": in_out(position, l1, l3).id, "target": 50}
                ),
            ),
            "ledd.rollout.wave": MatrixRow(
                model="ledd.rollout.wave",
                probe="name",
                records={"in": cls.wave_in, "out": cls.wave_out},
                writes=({"note": "T Matrix"},),
                create={position: {"name": f"T Matrix new wave {position}"} for position in ("in", "out")},
                fresh=fresh_named("ledd.rollout.wave", {}),
            ),
        }
        if "ledd.support.help.queue" in env:
            rows["ledd.support.help.queue"] = MatrixRow(
                model="ledd.support.help.queue",
                probe="kind",
                records={"in": cls.queue_in, "out": cls.queue_out},
                writes=({"login": "t-matrix@example.com"},),
                create={
                    position: {"kind": "help_contacts", "login": f"t-matrix-{position}@example.com"}
                    for position in ("in", "out")
                },
                fresh=lambda position, persona: env["ledd.support.help.queue"].create(
                    {"kind": "help_contacts", "login": f"t-matrix-fresh-{position}@example.com"}
                ),
            )
        for model, wizards in cls.wizards.items():
            rows[model] = MatrixRow(
                model=model,
                probe="create_date",
                records={"in": wizards["in"], "out": wizards["out"]},
                own=dict(wizards["own"]),
                writes=(WIZARD_WRITES[model],),
                create={"own": own_create(model)},
                fresh=fresh_wizard(model),
            )
        return rows

    # ------------------------------------------------------------------
    # Route arguments and the data the routes are posted
    # ------------------------------------------------------------------
    def _ledd_route_arg(self, name, position, persona):
        """The value of a route argument for the in-scope, out-of-scope or own record."""
        if name == "page":
            return 1
        if name == "action":
            return "send_password_reset"
        if name == "partner_id":
            return {"in": self.member_l1, "out": self.member_l3}[position].id
        if name == "request_id":
            if position == "own":
                return self.own_requests[persona].id
            return {"in": self.request_in, "out": self.request_out}[position].id
        raise MatrixTableError(f"no fixture for the route argument <{name}>: add it to _ledd_route_arg")

    def _ledd_route_post_data(self, key, position):
        """What a POST line sends, besides its CSRF token (a meaningful, harmless form)."""
        if key == "POST /my/training/people/<int:partner_id>/tick":
            return {"line_id": (self.line_out if position == "out" else self.line_in).id}
        return dict(
            {
                "POST /web/login/help": {"email": "t-matrix-nobody@example.com"},
                "POST /web/reset_password": {"login": "t-matrix-nobody@example.com"},
                "POST /my/requests/new": {"name": "T Matrix", "request_type": "question", "description": "Hjelp"},
                "POST /my/requests/<int:request_id>/reply": {"body": "T Matrix reply"},
                "POST /my/requests/<int:request_id>/state": {"action": "close"},
                "POST /my/login-help/<int:partner_id>/<string:action>": {"reason": "T Matrix check"},
            }.get(key, {})
        )
