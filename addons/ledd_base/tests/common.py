from odoo.tests.common import TransactionCase, new_test_user


class LeddOrganisationMixin:
    """A small known organisation shared by Ledd's tests.

    National N
    ├── Region R1 (Vestland)
    │   ├── Local L1 (Bergen) ── Group G1 (Bergen youth)
    │   └── Local L2 (Voss)
    └── Region R2 (Rogaland)
        └── Local L3 (Stavanger)

    Personas: a national manager, a region user (R1), a local user (L1), a local
    user in a sibling region (L3), a portal member (L1) and a portal superuser (L1).
    """

    @classmethod
    def _create_ledd_organisation(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        env = cls.env
        ref = env.ref
        cls.type_national = ref("ledd_base.unit_type_national")
        cls.type_region = ref("ledd_base.unit_type_region")
        cls.type_local = ref("ledd_base.unit_type_local")
        cls.type_group = ref("ledd_base.unit_type_group")
        cls.rt_leader = ref("ledd_base.role_type_leader")
        cls.rt_superuser = ref("ledd_base.role_type_superuser")
        cls.rt_secretary = ref("ledd_base.role_type_member_secretary")
        cls.rt_volunteer = ref("ledd_base.role_type_volunteer")
        Unit = env["ledd.unit"]
        cls.unit_n = Unit.create({"name": "Nasjonalt", "code": "T-N", "type_id": cls.type_national.id})
        cls.unit_r1 = Unit.create(
            {"name": "Vestland", "code": "T-R1", "type_id": cls.type_region.id, "parent_id": cls.unit_n.id}
        )
        cls.unit_r2 = Unit.create(
            {"name": "Rogaland", "code": "T-R2", "type_id": cls.type_region.id, "parent_id": cls.unit_n.id}
        )
        cls.unit_l1 = Unit.create(
            {"name": "Bergen", "code": "T-L1", "type_id": cls.type_local.id, "parent_id": cls.unit_r1.id}
        )
        cls.unit_l2 = Unit.create(
            {"name": "Voss", "code": "T-L2", "type_id": cls.type_local.id, "parent_id": cls.unit_r1.id}
        )
        cls.unit_l3 = Unit.create(
            {"name": "Stavanger", "code": "T-L3", "type_id": cls.type_local.id, "parent_id": cls.unit_r2.id}
        )
        cls.unit_g1 = Unit.create(
            {"name": "Bergen ungdom", "code": "T-G1", "type_id": cls.type_group.id, "parent_id": cls.unit_l1.id}
        )
        cls.test_units = cls.unit_n | cls.unit_r1 | cls.unit_r2 | cls.unit_l1 | cls.unit_l2 | cls.unit_l3 | cls.unit_g1

        Partner = env["res.partner"]
        cls.member_l1 = Partner.create(
            {"name": "Mia Bergen", "email": "mia@example.com", "ledd_unit_id": cls.unit_l1.id}
        )
        cls.member_g1 = Partner.create(
            {"name": "Gro Gruppe", "email": "gro@example.com", "ledd_unit_id": cls.unit_g1.id}
        )
        cls.member_l2 = Partner.create(
            {"name": "Vidar Voss", "email": "vidar@example.com", "ledd_unit_id": cls.unit_l2.id}
        )
        cls.member_l3 = Partner.create(
            {"name": "Siri Stavanger", "email": "siri@example.com", "ledd_unit_id": cls.unit_l3.id}
        )
        cls.member_r1 = Partner.create(
            {"name": "Rune Region", "email": "rune@example.com", "ledd_unit_id": cls.unit_r1.id}
        )
        cls.member_nounit = Partner.create({"name": "Uten Ledd", "email": "uten@example.com"})

        cls.user_manager = new_test_user(
            env, login="t_manager", name="Nina Nasjonal", groups="base.group_user,ledd_base.group_manager"
        )
        cls.user_region = new_test_user(
            env, login="t_region", name="Roar Region", groups="base.group_user,ledd_base.group_user"
        )
        cls.user_local = new_test_user(
            env,
            login="t_local",
            name="Liv Lokal",
            groups="base.group_user,ledd_base.group_user,base.group_allow_export",
        )
        cls.user_sibling = new_test_user(
            env,
            login="t_sibling",
            name="Stein Sibling",
            groups="base.group_user,ledd_base.group_user,base.group_allow_export",
        )
        cls.user_portal = new_test_user(env, login="t_portal", name="Per Portal", groups="base.group_portal")
        cls.user_portal_super = new_test_user(
            env, login="t_portal_super", name="Sara Superbruker", groups="base.group_portal"
        )
        cls.user_region.partner_id.ledd_unit_id = cls.unit_r1
        cls.user_local.partner_id.ledd_unit_id = cls.unit_l1
        cls.user_sibling.partner_id.ledd_unit_id = cls.unit_l3
        cls.user_portal.partner_id.write({"ledd_unit_id": cls.unit_l1.id, "email": "per@example.com"})
        cls.user_portal_super.partner_id.write({"ledd_unit_id": cls.unit_l1.id, "email": "sara@example.com"})

        Role = env["ledd.role"]
        cls.role_region = Role.create(
            {"partner_id": cls.user_region.partner_id.id, "unit_id": cls.unit_r1.id, "role_type_id": cls.rt_leader.id}
        )
        cls.role_local = Role.create(
            {"partner_id": cls.user_local.partner_id.id, "unit_id": cls.unit_l1.id, "role_type_id": cls.rt_secretary.id}
        )
        cls.role_sibling = Role.create(
            {"partner_id": cls.user_sibling.partner_id.id, "unit_id": cls.unit_l3.id, "role_type_id": cls.rt_leader.id}
        )
        cls.role_portal_super = Role.create(
            {
                "partner_id": cls.user_portal_super.partner_id.id,
                "unit_id": cls.unit_l1.id,
                "role_type_id": cls.rt_superuser.id,
            }
        )
        cls.role_volunteer = Role.create(
            {"partner_id": cls.member_l1.id, "unit_id": cls.unit_l1.id, "role_type_id": cls.rt_volunteer.id}
        )
        cls.test_members = (
            cls.member_l1
            | cls.member_g1
            | cls.member_l2
            | cls.member_l3
            | cls.member_r1
            | cls.member_nounit
            | cls.user_portal.partner_id
            | cls.user_portal_super.partner_id
        )


class LeddCase(LeddOrganisationMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
