from datetime import timedelta

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.ledd_adoption.figures import Count, Kpi

from .common import DAY, LeddAdoptionCase

BEFORE = DAY - timedelta(days=1)


class TestFiguresContract(LeddAdoptionCase):
    """What every declared figure gets, tried once with a fake addon's figures
    (tests/fake_models.py) that the adoption addon knows nothing about.

    Each unit's own fake figures on DAY (base, hits, misses, wait): Vestland 2, 2, 0,
    1; Bergen 10, 1, 3, 5; Voss 0, 0, 1, 0; Bergen ungdom 4, 3, 0, 2; Stavanger 6, 6,
    0, 8. On the day before only Bergen's: 10, 0, 9, 9."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import LeddAdoptionSnapshotFake

        cls.loader.update_registry((LeddAdoptionSnapshotFake,))
        cls.Snapshot = cls.env["ledd.adoption.snapshot"]
        cls.Target = cls.env["ledd.adoption.target"]
        own = {
            DAY: {
                cls.unit_r1.id: (2, 2, 0, 1.0),
                cls.unit_l1.id: (10, 1, 3, 5.0),
                cls.unit_l2.id: (0, 0, 1, 0.0),
                cls.unit_g1.id: (4, 3, 0, 2.0),
                cls.unit_l3.id: (6, 6, 0, 8.0),
            },
            BEFORE: {cls.unit_l1.id: (10, 0, 9, 9.0)},
        }
        builder = cls.Snapshot.with_context(fake_own_figures=own)
        builder._build_snapshots(BEFORE, cls.test_units)
        cls.timings = builder._build_snapshots(DAY, cls.test_units)

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _latest(self):
        return [("is_latest", "=", True), ("unit_id", "in", self.test_units.ids)]

    def test_every_unit_holds_its_whole_subtree(self):
        self.assertFigures("fake_base_count", n=22, r1=16, r2=6, l1=14, l2=0, l3=6, g1=4)
        self.assertFigures("fake_hit_count", n=12, r1=6, r2=6, l1=4, l2=0, l3=6, g1=3)
        self.assertFigures("fake_miss_count", n=4, r1=4, r2=0, l1=3, l2=1, l3=0, g1=0)
        # Shares from the subtree's counts; a share of nothing is 0.
        self.assertFigures("fake_hit_share", n=1200 / 22, r1=37.5, r2=100.0, l1=400 / 14, l2=0.0, l3=100.0, g1=75.0)
        # A figure that does not add up comes from the provider as it is (rounded to one decimal).
        self.assertFigures("fake_wait_hours", n=8.0, r1=5.0, r2=8.0, l1=5.0, l2=0.0, l3=8.0, g1=2.0)
        self.assertFigures("fake_miss_count", day=BEFORE, n=9, r1=9, r2=0, l1=9, l2=0, l3=0, g1=0)
        self.assertFigures("unit_depth", n=1, r1=2, r2=2, l1=3, l2=3, l3=3, g1=4)
        # The core figures are built beside them, and the provider's query is timed.
        self.assertFigures("member_count", n=7, r1=6, l1=4)
        self.assertIn("fake", {label for label, _seconds in self.timings["queries"]})

    def test_targets_offer_every_kpi_with_its_defaults(self):
        kpis = dict(self.Target._selection_kpi())
        self.assertEqual(
            {code: kpis.get(code) for code in ("fake_hit_share", "fake_miss_count", "fake_wait_hours")},
            {"fake_hit_share": "Fake Hit Rate (%)", "fake_miss_count": "Fake Misses", "fake_wait_hours": "Fake Wait"},
        )
        self.assertNotIn("fake_hit_count", kpis, "a count without a target")
        share = self.Target.create({"kpi": "fake_hit_share", "unit_type_id": self.type_local.id})
        misses = self.Target.create({"kpi": "fake_miss_count", "unit_type_id": self.type_region.id, "target": 1})
        self.assertEqual((share.target, share.amber_band, share.lower_is_better), (50.0, 20.0, False))
        self.assertEqual((misses.target, misses.amber_band, misses.lower_is_better), (1.0, 50.0, True))
        self.assertIn("fake_miss_count", self.Target._lower_is_better_kpis())

    def test_lights_against_the_targets(self):
        self.Target.create(
            [
                # Local branches against 50 % (amber from 40 %): Bergen 28.6 % red, Stavanger green;
                # Voss has no base: no light.
                {"kpi": "fake_hit_share", "unit_type_id": self.type_local.id},
                # Regions against 3 misses, lower is better (amber up to 4.5): Vestland 4, Rogaland 0.
                {"kpi": "fake_miss_count", "unit_type_id": self.type_region.id},
                # A figure over nothing gets no light either.
                {"kpi": "fake_wait_hours", "unit_id": self.unit_l2.id, "target": 1},
            ]
        )
        by_unit = self._by_unit(self._snapshots())
        lights = {
            unit.code: (snapshot.fake_hit_share_status, snapshot.fake_miss_count_status, snapshot.status)
            for unit, snapshot in by_unit.items()
        }
        self.assertEqual(
            lights,
            {
                "T-N": ("none", "none", "none"),
                "T-R1": ("none", "amber", "amber"),
                "T-R2": ("none", "green", "green"),
                "T-L1": ("red", "none", "red"),
                "T-L2": ("none", "none", "none"),
                "T-L3": ("green", "none", "green"),
                "T-G1": ("none", "none", "none"),
            },
        )
        self.assertEqual(by_unit[self.unit_l2].fake_wait_hours_status, "none")

    def test_export_and_list(self):
        local = self.Snapshot.with_user(self.user_local).search([("unit_id", "in", self.test_units.ids)])
        rows = local.filtered("is_latest").export_data(["unit_id/code", "fake_hit_count", "fake_hit_share"])["datas"]
        self.assertEqual(sorted(rows), [["T-G1", 3, 75.0], ["T-L1", 4, 400 / 14]])
        self.assertEqual(self.Snapshot.fields_get(["fake_hit_share"])["fake_hit_share"]["string"], "Fake Hit Rate (%)")
        self.assertSubtreesPerPersona("fake_hit_count")

    def test_dashboard_form_and_list_views(self):
        self.assertViewsShow(
            {
                "list": ["fake_base_count", "fake_hit_share", "fake_wait_hours"],
                "kanban": ["fake_hit_share", "fake_hit_share_status", "fake_miss_count_status"],
                "form": ["fake_base_count", "fake_wait_hours_status", "action_view_fake_misses"],
            }
        )
        kanban = self.Snapshot.get_view(view_type="kanban")["arch"]
        self.assertNotIn('name="fake_wait_hours"', kanban, "not shown on the cards")
        self.assertIn('string="Fake Figures"', self.Snapshot.get_view(view_type="form")["arch"])
        l1 = self._by_unit(self._snapshots())[self.unit_l1]
        action = l1.with_user(self.user_local).action_view_fake_misses()
        self.assertEqual(self.env["ledd.unit"].search(action["domain"]), self.unit_l1)

    def test_roll_ups_combine_one_level(self):
        aggregates = ["fake_hit_count:sum", "fake_miss_count:sum", "fake_hit_share:sum", "fake_wait_hours:sum"]
        by_level = {
            level: values for level, *values in self.Snapshot._read_group(self._latest(), ["unit_type_id"], aggregates)
        }
        # Regions: the nation's figures again (12 hits of 22), not the average of 37.5 % and 100 %;
        # a wait does not roll up over two regions.
        self.assertEqual(by_level[self.type_region][:2], [12, 4])
        self.assertAlmostEqual(by_level[self.type_region][2], 1200 / 22)
        self.assertNotAlmostEqual(by_level[self.type_region][2], (37.5 + 100) / 2)
        self.assertFalse(by_level[self.type_region][3])
        # Local branches: 10 hits of 20, 50 %, where the average of their shares is 42.9 %.
        self.assertEqual(by_level[self.type_local], [10, 4, 50.0, False])
        self.assertEqual(by_level[self.type_group], [3, 0, 75.0, 2.0])
        # Everything together: the nation's row alone, not the sum of nested rows (37 hits).
        [total] = self.Snapshot._read_group(self._latest(), [], aggregates)
        self.assertEqual(total[:2], (12, 4))
        self.assertAlmostEqual(total[2], 1200 / 22)
        self.assertEqual(total[3], 8.0)
        # A unit over two days: the latest day, not the sum of both (12 misses).
        [(_unit, misses, share)] = self.Snapshot._read_group(
            [("unit_id", "=", self.unit_l1.id), ("date", "in", [BEFORE, DAY])],
            ["unit_id"],
            ["fake_miss_count:sum", "fake_hit_share:sum"],
        )
        self.assertEqual(misses, 3)
        self.assertAlmostEqual(share, 400 / 14)

    def test_roll_ups_as_pivots_ask_for_them(self):
        """The pivot, graph and group totals ask for each field's own aggregator;
        a local user's roll-ups cover their rows only."""

        def by_level(user):
            groups = self.Snapshot.with_user(user).read_group(
                self._latest(), ["fake_hit_count", "fake_hit_share"], ["unit_type_id"]
            )
            return {group["unit_type_id"][0]: (group["fake_hit_count"], group["fake_hit_share"]) for group in groups}

        local, group = self.type_local.id, self.type_group.id
        self.assertEqual(by_level(self.user_owner)[local], (10, 50.0))
        self.assertEqual(by_level(self.user_local), {local: (4, 400 / 14), group: (3, 75.0)})
        # Ordered by the roll-up itself.
        ordered = self.Snapshot._read_group(
            self._latest(), ["unit_type_id"], ["fake_hit_share:sum"], order="fake_hit_share:sum desc"
        )
        self.assertEqual([level for level, _share in ordered][0], self.type_group)

    def test_digest_lines(self):
        self.Target.create({"kpi": "fake_miss_count", "unit_type_id": self.type_region.id})
        by_unit = self._by_unit(self._snapshots())
        lines = {line["label"]: (line["value"], line["light"]) for line in by_unit[self.unit_r1]._digest_lines()}
        self.assertEqual(lines["Fake Hit Rate (%)"], ("38 %", ""))
        self.assertEqual(lines["Fake Misses"], ("4", "Amber"))
        self.assertEqual(lines["Fake Wait"], ("5.0 h", ""))
        # Voss has no base: neither its share nor its wait are in its digest.
        voss = {line["label"] for line in by_unit[self.unit_l2]._digest_lines()}
        self.assertIn("Fake Misses", voss)
        self.assertFalse({"Fake Hit Rate (%)", "Fake Wait"} & voss)


class TestDeclarations(TransactionCase):
    def test_a_declaration_says_what_it_is(self):
        with self.assertRaises(ValueError):
            Kpi("x_share", "X (%)", unit="%", numerator="x_count")
        with self.assertRaises(ValueError):
            Kpi("x_count", "X", unit="count", numerator="a_count", denominator="b_count")
        with self.assertRaises(ValueError):
            Kpi("x_days", "X", unit="days")
        self.assertNotIsInstance(Count("x_count", "X"), Kpi)


@tagged("post_install", "-at_install")
class TestInstalledDeclarations(LeddAdoptionCase):
    """Every figure that the installed addons declare is complete: a provider, its
    numerator and denominator among the counts, a column of the list, for a KPI a
    light and a place among the targets' figures, and a drill-down that refuses
    the figures of units out of the user's scope."""

    def test_every_declaration_is_complete(self):
        self.Snapshot._build_snapshots(DAY, self.test_units)
        rogaland = self._by_unit(self._snapshots())[self.unit_r2]
        figures = self.Snapshot._figures()
        counts = {figure.code for figure in figures if figure.unit == "count"}
        kpis = dict(self.env["ledd.adoption.target"]._selection_kpi())
        list_arch = self.Snapshot.get_view(view_type="list")["arch"]
        for figure in figures:
            with self.subTest(figure=figure.code):
                self.assertTrue(callable(getattr(self.Snapshot, figure.provider, None)), "its provider")
                self.assertLessEqual({figure.numerator, figure.denominator} - {""}, counts)
                self.assertIn(f'name="{figure.code}"', list_arch)
                self.assertTrue(self.Snapshot._fields[figure.code].store)
                if isinstance(figure, Kpi):
                    self.assertIn(figure.code, kpis)
                    self.assertIn(figure.status_field, self.Snapshot._fields)
                if figure.action:
                    for user in (self.user_local, self.user_region):
                        with self.assertRaises(AccessError):
                            getattr(rogaland.with_user(user), figure.action)()
