from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.ledd_adoption.tests.common import DAY, LeddAdoptionCase, SnapshotAssertions

MEMBERSHIP_KPIS = ("member_paying_share", "member_lapsed_share")


class LeddAdoptionMembershipCase(SnapshotAssertions, LeddAdoptionCase):
    """The test organisation's members with known membership states.

    Members (see LeddAdoptionCase): Mia paid, Per invoiced and Sara free (L1), Gro
    waiting (G1), Vidar old (L2), Rune cancelled (R1), Siri without membership (L3).
    Not counted: Liv (staff, paid), Uten (no unit, paid) and Arkiv (archived, paid, L1)."""

    STATES = {
        "member_l1": "paid",
        "portal": "invoiced",
        "portal_super": "free",
        "member_g1": "waiting",
        "member_l2": "old",
        "member_r1": "canceled",
        "member_l3": "none",
        "staff": "paid",
        "member_nounit": "paid",
        "archived": "paid",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_archived = cls.env["res.partner"].create({"name": "Arkiv Arnesen", "ledd_unit_id": cls.unit_l1.id})
        cls.member_archived.active = False
        partners = {
            "portal": cls.user_portal.partner_id,
            "portal_super": cls.user_portal_super.partner_id,
            "staff": cls.user_local.partner_id,
            "archived": cls.member_archived,
        }
        cls.env.flush_all()
        # The membership state is computed from invoices; the figures read the stored column.
        for key, state in cls.STATES.items():
            partner = partners.get(key) or getattr(cls, key)
            cls.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET membership_state = %s WHERE id = %s",
                    state,
                    partner.id,
                )
            )
        cls.env.invalidate_all()

    def _figures(self, field, day=DAY):
        return {snapshot.unit_id: snapshot[field] for snapshot in self._snapshots(day)}

    def _assert_figures(self, field, n, r1, r2, l1, l2, l3, g1):
        expected = {
            self.unit_n: n,
            self.unit_r1: r1,
            self.unit_r2: r2,
            self.unit_l1: l1,
            self.unit_l2: l2,
            self.unit_l3: l3,
            self.unit_g1: g1,
        }
        figures = self._figures(field)
        for unit, value in expected.items():
            self.assertAlmostEqual(figures[unit], value, places=6, msg=f"{field} of {unit.code}")


class TestMembershipFigures(LeddAdoptionMembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.timings = cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def test_members_by_state(self):
        self._assert_figures("member_paid_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self._assert_figures("member_invoiced_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self._assert_figures("member_free_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self._assert_figures("member_waiting_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=1)
        self._assert_figures("member_old_count", n=1, r1=1, r2=0, l1=0, l2=1, l3=0, g1=0)
        self._assert_figures("member_canceled_count", n=1, r1=1, r2=0, l1=0, l2=0, l3=0, g1=0)
        self._assert_figures("member_none_count", n=1, r1=0, r2=1, l1=0, l2=0, l3=1, g1=0)

    def test_states_add_up_to_the_members(self):
        self._assert_figures("member_count", n=7, r1=6, r2=1, l1=4, l2=1, l3=1, g1=1)
        for snapshot in self._snapshots():
            states = sum(
                snapshot[field]
                for field in (
                    "member_paid_count",
                    "member_invoiced_count",
                    "member_free_count",
                    "member_waiting_count",
                    "member_old_count",
                    "member_canceled_count",
                    "member_none_count",
                )
            )
            self.assertEqual(states, snapshot.member_count, snapshot.unit_id.code)

    def test_paying_and_lapsed(self):
        # Paying: Mia, Per and Sara (L1). Lapsed: Vidar (L2) and Rune (R1).
        self._assert_figures("member_paying_count", n=3, r1=3, r2=0, l1=3, l2=0, l3=0, g1=0)
        self._assert_figures("member_lapsed_count", n=2, r1=2, r2=0, l1=0, l2=1, l3=0, g1=0)
        self._assert_figures("member_paying_share", n=300 / 7, r1=50.0, r2=0.0, l1=75.0, l2=0.0, l3=0.0, g1=0.0)
        self._assert_figures("member_lapsed_share", n=200 / 7, r1=100 / 3, r2=0.0, l1=0.0, l2=100.0, l3=0.0, g1=0.0)

    def test_timings(self):
        labels = {label for label, _seconds in self.timings["queries"]}
        self.assertLessEqual({"people", "membership"}, labels)

    def test_rebuild_follows_the_states(self):
        # Vidar renews (paid), Mia's membership ends (old).
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET membership_state = CASE id WHEN %s THEN 'paid' ELSE 'old' END WHERE id IN %s",
                self.member_l2.id,
                (self.member_l2.id, self.member_l1.id),
            )
        )
        self.env.invalidate_all()
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertEqual(len(self._snapshots()), len(self.test_units))
        self._assert_figures("member_paying_count", n=3, r1=3, r2=0, l1=2, l2=1, l3=0, g1=0)
        self._assert_figures("member_lapsed_count", n=2, r1=2, r2=0, l1=1, l2=0, l3=0, g1=0)

    def test_states_from_membership_lines(self):
        # A free member as Odoo computes it counts as paying.
        self.member_l3.free_member = True
        self.env.flush_all()
        self.assertEqual(self.member_l3.membership_state, "free")
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self._assert_figures("member_paying_count", n=4, r1=3, r2=1, l1=3, l2=0, l3=1, g1=0)
        self._assert_figures("member_none_count", n=0, r1=0, r2=0, l1=0, l2=0, l3=0, g1=0)


class TestMembershipTargets(LeddAdoptionMembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Target = cls.env["ledd.adoption.target"]
        Target.sudo().search([("kpi", "in", MEMBERSHIP_KPIS)]).unlink()
        cls.target_paying = Target.create(
            {"kpi": "member_paying_share", "unit_type_id": cls.type_local.id, "target": 80, "amber_band": 10}
        )
        cls.target_paying_r1 = Target.create(
            {"kpi": "member_paying_share", "unit_id": cls.unit_r1.id, "target": 50, "amber_band": 10}
        )
        cls.target_lapsed = Target.create(
            {"kpi": "member_lapsed_share", "unit_type_id": cls.type_region.id, "target": 20, "amber_band": 100}
        )

    def test_kpis_registered(self):
        kpis = dict(self.env["ledd.adoption.target"]._selection_kpi())
        for kpi in MEMBERSHIP_KPIS:
            self.assertIn(kpi, kpis)
        self.assertFalse(self.target_paying.lower_is_better)
        self.assertTrue(self.target_lapsed.lower_is_better)

    def test_traffic_lights(self):
        self.Snapshot._build_snapshots(DAY, self.test_units)
        by_unit = self._by_unit(self._snapshots())
        # Local branches against 80 % (amber down to 72 %): Bergen 75 %, Voss and Stavanger 0 %.
        self.assertEqual(by_unit[self.unit_l1].member_paying_share_status, "amber")
        self.assertEqual(by_unit[self.unit_l2].member_paying_share_status, "red")
        self.assertEqual(by_unit[self.unit_l3].member_paying_share_status, "red")
        # Vestland's own target of 50 %: 50 %. The nation has no target.
        self.assertEqual(by_unit[self.unit_r1].member_paying_share_status, "green")
        self.assertEqual(by_unit[self.unit_n].member_paying_share_status, "none")
        # Lapsed in regions against 20 % (amber up to 40 %): Vestland 33.3 %, Rogaland 0 %.
        lights = self.env["ledd.adoption.target"]._evaluate(by_unit[self.unit_r1] | by_unit[self.unit_r2])
        self.assertEqual(lights[by_unit[self.unit_r1].id]["member_lapsed_share"], "amber")
        self.assertEqual(lights[by_unit[self.unit_r2].id]["member_lapsed_share"], "green")
        self.assertEqual(by_unit[self.unit_l2].status, "red")


class TestMembershipDrillDown(LeddAdoptionMembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def _behind(self, unit, method, user):
        snapshot = self._snapshots().filtered(lambda s: s.unit_id == unit)
        action = getattr(snapshot.with_user(user), method)()
        self.assertEqual(action["res_model"], "res.partner")
        return self.env["res.partner"].with_user(user).search(action["domain"])

    def test_members_behind_the_figures(self):
        r1, region = self.unit_r1, self.user_region
        self.assertEqual(
            self._behind(r1, "action_view_paying_members", region),
            self.member_l1 | self.user_portal.partner_id | self.user_portal_super.partner_id,
        )
        self.assertEqual(self._behind(r1, "action_view_waiting_members", region), self.member_g1)
        self.assertEqual(self._behind(r1, "action_view_lapsed_members", region), self.member_l2 | self.member_r1)
        self.assertFalse(self._behind(r1, "action_view_members_without_membership", region))
        self.assertEqual(
            self._behind(self.unit_l3, "action_view_members_without_membership", self.user_sibling), self.member_l3
        )
        self.assertEqual(self._behind(self.unit_g1, "action_view_waiting_members", self.user_local), self.member_g1)

    def test_figures_of_other_units_refused(self):
        r2 = self._snapshots().filtered(lambda s: s.unit_id == self.unit_r2)
        for user in (self.user_local, self.user_region):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                r2.with_user(user).action_view_paying_members()
        with self.assertRaises(AccessError):
            r2.with_user(self.user_local).read(["member_paying_count", "member_paying_share"])

    def test_each_persona_sees_its_subtree(self):
        self.assertSubtreesPerPersona("member_paying_count")
        local = self.Snapshot.with_user(self.user_local).search([("unit_id", "in", self.test_units.ids)])
        rows = local.export_data(["unit_id/code", "member_paying_count", "member_waiting_count"])["datas"]
        self.assertEqual(sorted(rows), [["T-G1", 0, 1], ["T-L1", 3, 1]])

    def test_views_show_the_figures(self):
        expected = {
            "list": ["member_paying_count", "member_paying_share", "member_lapsed_count"],
            "form": ["member_waiting_count", "action_view_paying_members", "action_view_lapsed_members"],
            "kanban": ["member_paying_share_status"],
            "pivot": ["member_paying_count"],
        }
        self.assertViewsShow(expected)

    def test_unit_form_figures_are_scoped(self):
        l1 = self.unit_l1.with_user(self.user_local)
        self.assertEqual(
            (l1.adoption_member_paying_count, l1.adoption_member_paying_share, l1.adoption_member_lapsed_count),
            (3, 75.0, 0),
        )
        r1 = self.unit_r1.with_user(self.user_region)
        self.assertEqual((r1.adoption_member_paying_count, r1.adoption_member_lapsed_count), (3, 2))
        # The region above is readable as a unit, but not its figures.
        r1 = self.unit_r1.with_user(self.user_local)
        self.assertEqual((r1.adoption_member_paying_count, r1.adoption_member_paying_share), (0, 0.0))
