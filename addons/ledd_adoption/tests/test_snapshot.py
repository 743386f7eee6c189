from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tools import SQL

from .common import DAY, LeddAdoptionCase


class TestSnapshotFigures(LeddAdoptionCase):
    """Every figure, for every unit of the test organisation, exactly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def test_one_row_per_unit(self):
        self.assertEqual(self._snapshots().unit_id, self.test_units)
        self.assertTrue(all(self._snapshots().mapped("is_latest")))

    def test_member_counts(self):
        self.assertFigures("member_count", n=7, r1=6, r2=1, l1=4, l2=1, l3=1, g1=1)
        self.assertFigures("member_user_count", n=3, r1=3, r2=0, l1=3, l2=0, l3=0, g1=1)
        self.assertFigures("user_count", n=6, r1=5, r2=1, l1=4, l2=0, l3=1, g1=1)

    def test_active_users(self):
        self.assertFigures("active_7_count", n=3, r1=2, r2=1, l1=2, l2=0, l3=1, g1=1)
        self.assertFigures("active_30_count", n=4, r1=3, r2=1, l1=3, l2=0, l3=1, g1=1)
        self.assertFigures("active_90_count", n=5, r1=4, r2=1, l1=4, l2=0, l3=1, g1=1)

    def test_data_quality(self):
        self.assertFigures("email_count", n=5, r1=4, r2=1, l1=4, l2=0, l3=1, g1=1)
        self.assertFigures("phone_count", n=2, r1=1, r2=1, l1=1, l2=0, l3=1, g1=0)
        self.assertFigures("address_count", n=2, r1=2, r2=0, l1=1, l2=1, l3=0, g1=0)

    def test_coverage(self):
        self.assertFigures("coverage_unit_count", n=3, r1=2, r2=1, l1=1, l2=1, l3=1, g1=0)
        # Only Bergen's superuser used Ledd in the last 30 days; Stavanger's has no login.
        self.assertFigures("covered_unit_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self.assertFigures("coverage_share", n=100 / 3, r1=50.0, r2=0.0, l1=100.0, l2=0.0)

    def test_shares(self):
        by_unit = self._by_unit(self._snapshots())
        r1, l1 = by_unit[self.unit_r1], by_unit[self.unit_l1]
        self.assertEqual((l1.login_share, l1.active_30_share, l1.email_share), (75.0, 75.0, 100.0))
        self.assertEqual((r1.login_share, r1.active_30_share), (50.0, 60.0))
        self.assertAlmostEqual(r1.email_share, 400 / 6)
        self.assertAlmostEqual(r1.phone_share, 100 / 6)
        self.assertAlmostEqual(r1.address_share, 200 / 6)
        # No people with a login: a share of nothing is 0, not an error.
        self.assertEqual(by_unit[self.unit_l2].active_30_share, 0.0)

    def test_ended_superuser_does_not_cover(self):
        self.role_portal_super.date_end = DAY
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertFigures("covered_unit_count", n=0, l1=0)

    def test_moving_a_member_moves_the_figures(self):
        self.user_portal.partner_id.ledd_unit_id = self.unit_l3
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertFigures("active_7_count", n=3, r1=1, l1=1, r2=2, l3=2)

    def test_archived_people_and_unit_contacts_do_not_count(self):
        self.member_l2.active = False
        self.unit_l2.partner_id.write({"is_company": False, "email": "voss@example.com"})
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertFigures("member_count", l2=0, r1=5, n=6)


class TestSnapshotBuild(LeddAdoptionCase):
    def test_rebuild_same_day_replaces_rows(self):
        self.Snapshot._build_snapshots(DAY, self.test_units)
        first = self._snapshots()
        self.member_l1.email = False
        timings = self.Snapshot._build_snapshots(DAY, self.test_units)
        second = self._snapshots()
        self.assertFalse(first.exists())
        self.assertEqual(len(second), len(self.test_units))
        self.assertEqual(self._by_unit(second)[self.unit_l1].email_count, 3)
        self.assertEqual(timings["units"], len(self.test_units))
        # Bridge addons add their own queries.
        self.assertLessEqual(
            {"people", "coverage units", "coverage superusers"}, {label for label, _seconds in timings["queries"]}
        )

    def test_latest_flag_follows_the_newest_day(self):
        yesterday = DAY - timedelta(days=1)
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.Snapshot._build_snapshots(yesterday, self.test_units)
        self.assertTrue(all(self._snapshots().mapped("is_latest")))
        self.assertFalse(any(self._snapshots(yesterday).mapped("is_latest")))

    def test_interrupted_build_keeps_the_previous_rows(self):
        self.Snapshot._build_snapshots(DAY, self.test_units)
        before = self._snapshots()
        with (
            patch.object(type(self.Snapshot), "create", side_effect=RuntimeError("worker killed")),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self.Snapshot._build_snapshots(DAY, self.test_units)
        self.env.invalidate_all()
        self.assertEqual(self._snapshots(), before)
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertEqual(len(self._snapshots()), len(self.test_units))

    def test_cron_builds_today_for_every_unit(self):
        with freeze_time(DAY):
            self.Snapshot._cron_build()
            self.Snapshot._cron_build()
        self.assertEqual(self._snapshots().unit_id, self.test_units)
        self.assertEqual(self._by_unit(self._snapshots())[self.unit_n].active_30_count, 4)


class TestSnapshotScope(LeddAdoptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def test_each_persona_sees_its_subtree(self):
        self.assertSubtreesPerPersona("member_count")

    def test_out_of_scope_refused(self):
        r2 = self._by_unit(self._snapshots())[self.unit_r2]
        with self.assertRaises(AccessError):
            r2.with_user(self.user_local).read(["member_count"])
        with self.assertRaises(AccessError):
            r2.with_user(self.user_region).action_view_members()
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            r2.with_user(self.user_owner).unlink()

    def test_export_only_the_scope(self):
        snapshots = self.Snapshot.with_user(self.user_local).search([("unit_id", "in", self.test_units.ids)])
        rows = snapshots.export_data(["unit_id/code", "member_count", "active_30_count", "email_share"])["datas"]
        self.assertEqual(sorted(rows), [["T-G1", 1, 1, 100.0], ["T-L1", 4, 3, 100.0]])

    def test_unit_form_figures_are_scoped(self):
        l1 = self.unit_l1.with_user(self.user_local)
        self.assertEqual((l1.adoption_member_count, l1.adoption_active_30_count), (4, 3))
        self.assertEqual(l1.adoption_latest_ids, self._by_unit(self._snapshots())[self.unit_l1])
        self.assertIn('name="adoption_latest_ids"', l1.get_views([(False, "form")])["views"]["form"]["arch"])
        # The region above is readable as a unit, but not its figures.
        r1 = self.unit_r1.with_user(self.user_local)
        self.assertFalse(r1.adoption_snapshot_id)
        self.assertFalse(r1.adoption_latest_ids)
        self.assertEqual(r1.adoption_member_count, 0)


class TestDrillDown(LeddAdoptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def test_people_behind_the_figures(self):
        r1, l1, region, local = self.unit_r1, self.unit_l1, self.user_region, self.user_local
        portal, portal_super = self.user_portal.partner_id, self.user_portal_super.partner_id
        self.assertEqual(self._behind(l1, "action_view_active_30", region), portal | portal_super | self.member_g1)
        self.assertEqual(self._behind(r1, "action_view_active_7", region), portal | self.member_g1)
        self.assertEqual(
            self._behind(r1, "action_view_active_90", region),
            portal | portal_super | self.member_g1 | self.user_local.partner_id,
        )
        self.assertEqual(self._behind(r1, "action_view_missing_email", region), self.member_l2 | self.member_r1)
        self.assertEqual(
            self._behind(l1, "action_view_members", local), self.member_l1 | self.member_g1 | portal | portal_super
        )
        self.assertEqual(self._behind(l1, "action_view_missing_address", local), self.member_g1 | portal | portal_super)
        self.assertEqual(
            self._behind(l1, "action_view_logins", local),
            portal | portal_super | self.member_g1 | self.user_local.partner_id,
        )
        self.assertEqual(self._behind(r1, "action_view_uncovered_units", region), self.unit_l2)


class TestSubtreeMedian(LeddAdoptionCase):
    """Bridges compute medians per subtree with the ancestor join, not from children."""

    def test_median_over_the_subtree_rows(self):
        Snapshot = self.env["ledd.adoption.snapshot"]
        lengths = {self.member_l1: 3, self.member_g1: 5, self.member_l2: 10, self.member_r1: 11}
        values = SQL(
            ", ".join(["(%s, %s)"] * len(lengths)), *[v for p, n in lengths.items() for v in (p.ledd_unit_id.id, n)]
        )
        self.env.cr.execute(
            SQL(
                """SELECT ancestor.id, percentile_cont(0.5) WITHIN GROUP (ORDER BY x.n)
                     FROM (VALUES %s) AS x(unit_id, n) %s
                 GROUP BY ancestor.id""",
                values,
                Snapshot._ancestor_join(SQL("x.unit_id")),
            )
        )
        medians = dict(self.env.cr.fetchall())
        # Bergen: 3 and 5; Vestland: 3, 5, 10, 11 gives 7.5 (its children's medians 4, 10 and its own 11 would give 10).
        self.assertEqual(
            {unit: medians.get(unit.id) for unit in self.unit_l1 | self.unit_g1 | self.unit_r1 | self.unit_n},
            {self.unit_l1: 4.0, self.unit_g1: 5.0, self.unit_r1: 7.5, self.unit_n: 7.5},
        )
