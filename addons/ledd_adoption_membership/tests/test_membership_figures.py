from odoo.tools import SQL

from odoo.addons.ledd_adoption.tests.common import DAY, LeddAdoptionCase


class TestMembershipFigures(LeddAdoptionCase):
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
        cls.timings = cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def test_members_by_state(self):
        self.assertFigures("member_paid_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self.assertFigures("member_invoiced_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self.assertFigures("member_free_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self.assertFigures("member_waiting_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=1)
        self.assertFigures("member_old_count", n=1, r1=1, r2=0, l1=0, l2=1, l3=0, g1=0)
        self.assertFigures("member_canceled_count", n=1, r1=1, r2=0, l1=0, l2=0, l3=0, g1=0)
        self.assertFigures("member_none_count", n=1, r1=0, r2=1, l1=0, l2=0, l3=1, g1=0)

    def test_states_add_up_to_the_members(self):
        self.assertFigures("member_count", n=7, r1=6, r2=1, l1=4, l2=1, l3=1, g1=1)
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
        self.assertFigures("member_paying_count", n=3, r1=3, r2=0, l1=3, l2=0, l3=0, g1=0)
        self.assertFigures("member_lapsed_count", n=2, r1=2, r2=0, l1=0, l2=1, l3=0, g1=0)
        self.assertFigures("member_paying_share", n=300 / 7, r1=50.0, r2=0.0, l1=75.0, l2=0.0, l3=0.0, g1=0.0)
        self.assertFigures("member_lapsed_share", n=200 / 7, r1=100 / 3, r2=0.0, l1=0.0, l2=100.0, l3=0.0, g1=0.0)

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
        self.assertFigures("member_paying_count", n=3, r1=3, r2=0, l1=2, l2=1, l3=0, g1=0)
        self.assertFigures("member_lapsed_count", n=2, r1=2, r2=0, l1=1, l2=0, l3=0, g1=0)

    def test_states_from_membership_lines(self):
        # A free member as Odoo computes it counts as paying.
        self.member_l3.free_member = True
        self.env.flush_all()
        self.assertEqual(self.member_l3.membership_state, "free")
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertFigures("member_paying_count", n=4, r1=3, r2=1, l1=3, l2=0, l3=1, g1=0)
        self.assertFigures("member_none_count", n=0, r1=0, r2=0, l1=0, l2=0, l3=0, g1=0)

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
