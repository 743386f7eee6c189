from datetime import date, datetime, timedelta

from odoo.tools import SQL
from odoo.tools.sql import index_exists

from odoo.addons.ledd_adoption.tests.common import DAY, SnapshotAssertions
from odoo.addons.ledd_base.tests.common import LeddCase

from ..models.ledd_adoption_snapshot import OPEN_STATES

# Windows ending with DAY: the last 30 days from 2 March, the last 90 days from 1 January.


class TestRequestFigures(SnapshotAssertions, LeddCase):
    """Requests with known dates about the people of the test organisation.

    Per request: person's unit, created, state, hours to first response and to
    solve, escalations, with the vendor. Only the requests of the windows count."""

    REQUESTS = {
        # Gro (G1)
        "a": ("member_g1", datetime(2026, 3, 20, 8), "solved", 1, 24, 0, False),
        "b": ("member_g1", datetime(2026, 3, 25, 9), "in_progress", 3, None, 1, False),
        "m": ("member_g1", datetime(2026, 3, 5, 10), "closed", None, None, 3, True),
        # Lise (L1)
        "c": ("member_l1", datetime(2026, 2, 10, 10), "closed", 5, 48, 2, False),
        "h": ("member_l1", datetime(2025, 10, 1, 10), "closed", 1, 20, 0, False),  # long ago
        "n": ("member_l1", datetime(2026, 3, 31, 22), "solved", 3, 7, 0, False),  # answered after DAY
        # Vidar (L2)
        "d": ("member_l2", datetime(2026, 3, 1, 12), "solved", 20, 100, 0, False),  # before the 30 days
        "e": ("member_l2", datetime(2026, 3, 28, 8), "waiting", 30, None, 0, False),
        "k": ("member_l2", datetime(2026, 3, 15, 9), "escalated", None, None, 1, True),
        # Rune (R1): made before the 90 days, answered within them, with the vendor
        "f": ("member_r1", datetime(2025, 12, 31, 20), "escalated", 40, None, 3, True),
        # Stine (L3)
        "g": ("member_l3", datetime(2026, 3, 31, 10), "solved", 10, 12, 0, False),
        "i": ("member_l3", datetime(2026, 4, 1, 8), "new", None, None, 0, False),  # after DAY
        # Nobody's unit
        "j": ("member_nounit", datetime(2026, 3, 30, 10), "new", None, None, 0, False),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Roles started long before the figures' day (the drill-down runs on that day).
        (cls.role_region | cls.role_local | cls.role_sibling | cls.role_portal_super | cls.role_volunteer).write(
            {"date_start": date(2025, 1, 1)}
        )
        cls.requests = {key: cls._make_request(key, *values) for key, values in cls.REQUESTS.items()}
        cls.all_requests = cls.env["ledd.request"].union(*cls.requests.values())
        cls.Snapshot = cls.env["ledd.adoption.snapshot"]
        cls.timings = cls.Snapshot._build_snapshots(DAY, cls.test_units)

    @classmethod
    def _make_request(cls, key, partner, created, state, response_hours, solve_hours, escalations, vendor):
        """A request with the given history: its dates are written in SQL, as the
        ORM stamps creation with the transaction's time."""
        request = cls.env["ledd.request"].create(
            {
                "name": f"Request {key}",
                "requester_partner_id": getattr(cls, partner).id,
                "handling_unit_id": cls.unit_n.id,
            }
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                """UPDATE %s
                      SET create_date = %s, state = %s, date_first_response = %s, date_solved = %s,
                          escalation_count = %s, handled_by_vendor = %s
                    WHERE id = %s""",
                SQL.identifier(request._table),
                created,
                state,
                created + timedelta(hours=response_hours) if response_hours is not None else None,
                created + timedelta(hours=solve_hours) if solve_hours is not None else None,
                escalations,
                vendor,
                request.id,
            )
        )
        cls.env.invalidate_all()
        request.modified(["create_date"])  # recompute the stored hours from the dates
        cls.env.flush_all()
        return request

    def _requests(self, *keys):
        return self.env["ledd.request"].union(*(self.requests[key] for key in keys))

    def test_the_dataset(self):
        # The ORM's stored hours follow the dates written in SQL.
        self.assertEqual(self.requests["d"].response_hours, 20.0)
        self.assertEqual(self.requests["d"].solve_hours, 100.0)
        self.assertEqual(self.requests["j"].unit_id.id, False)
        self.assertEqual(self.requests["a"].unit_id, self.unit_g1)

    def test_open_requests(self):
        # b (G1); e, k (L2); f (R1). i was made after the day, j has no unit.
        self.assertFigures("request_open_count", n=4, r1=4, r2=0, l1=1, l2=2, l3=0, g1=1)

    def test_requests_with_the_vendor(self):
        # k and f; m went to the vendor but is closed.
        self.assertFigures("request_vendor_count", n=2, r1=2, r2=0, l1=0, l2=1, l3=0, g1=0)

    def test_new_requests(self):
        # 30 days: a, b, m (G1), n (L1), e, k (L2), g (L3); d came on 1 March.
        self.assertFigures("request_created_30_count", n=7, r1=6, r2=1, l1=4, l2=2, l3=1, g1=3)
        # 90 days: also c (L1) and d (L2); f came on 31 December.
        self.assertFigures("request_created_90_count", n=9, r1=8, r2=1, l1=5, l2=3, l3=1, g1=3)

    def test_escalated_share(self):
        # Escalated among the 90 days' requests: b, m (G1), c (L1), k (L2).
        self.assertFigures("request_escalated_90_count", n=4, r1=4, r2=0, l1=3, l2=1, l3=0, g1=2)
        self.assertFigures(
            "request_escalated_share", n=400 / 9, r1=50.0, r2=0.0, l1=60.0, l2=100 / 3, l3=0.0, g1=200 / 3
        )

    def test_response_median_per_subtree(self):
        # Answered within the 90 days: a 1 h, b 3 h (G1), c 5 h (L1), d 20 h, e 30 h (L2),
        # f 40 h (R1), g 10 h (L3); h was answered long ago, n after the day.
        self.assertFigures("request_answered_90_count", n=7, r1=6, r2=1, l1=3, l2=2, l3=1, g1=2)
        self.assertFigures("request_response_median", n=10.0, r1=12.5, r2=10.0, l1=3.0, l2=25.0, l3=10.0, g1=2.0)
        # Not the median of the parts: Vestland's are Bergen 3, Voss 25 and its own 40.
        figures = self._figures("request_response_median")
        self.assertNotEqual(figures[self.unit_r1], 25.0)
        self.assertNotEqual(figures[self.unit_n], (12.5 + 10.0) / 2)

    def test_solve_median_per_subtree(self):
        # Solved within the 90 days: a 24 h (G1), c 48 h (L1), d 100 h (L2), g 12 h (L3).
        self.assertFigures("request_solved_90_count", n=4, r1=3, r2=1, l1=2, l2=1, l3=1, g1=1)
        self.assertFigures("request_solve_median", n=36.0, r1=48.0, r2=12.0, l1=36.0, l2=100.0, l3=12.0, g1=24.0)
        # The median of Vestland's parts (Bergen 36, Voss 100) would be 68; of the nation's, 30.
        figures = self._figures("request_solve_median")
        self.assertNotEqual(figures[self.unit_r1], 68.0)
        self.assertNotEqual(figures[self.unit_n], 30.0)

    def test_one_row_per_unit_and_timings(self):
        self.assertEqual(self._snapshots().unit_id, self.test_units)
        labels = {label for label, _seconds in self.timings["queries"]}
        self.assertLessEqual({"people", "request counts", "request medians"}, labels)

    def test_rebuild_follows_the_requests(self):
        self.requests["e"].sudo().action_solve()
        self.requests["e"].flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET date_solved = %s WHERE id = %s",
                SQL.identifier(self.requests["e"]._table),
                datetime(2026, 3, 30, 8),
                self.requests["e"].id,
            )
        )
        self.env.invalidate_all()
        self.requests["e"].modified(["date_solved"])
        self.env.flush_all()
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertEqual(len(self._snapshots()), len(self.test_units))
        # e: solved after 48 hours. Voss: 48 and 100; Vestland: 24, 48, 48, 100.
        self.assertEqual(self._figures("request_open_count")[self.unit_l2], 1)
        solve = self._figures("request_solve_median")
        self.assertEqual((solve[self.unit_l2], solve[self.unit_r1], solve[self.unit_n]), (74.0, 48.0, 48.0))

    def test_a_day_without_requests(self):
        later = date(2026, 7, 15)
        self.Snapshot._build_snapshots(later, self.test_units)
        # Still open: b, e, k, f and now i (made on 1 April); nothing new, answered or solved.
        self.assertEqual(self._figures("request_open_count", later)[self.unit_n], 5)
        for field in ("request_created_30_count", "request_created_90_count", "request_answered_90_count"):
            self.assertEqual(set(self._figures(field, later).values()), {0}, field)
        self.assertEqual(set(self._figures("request_response_median", later).values()), {0.0})
        self.assertEqual(set(self._figures("request_escalated_share", later).values()), {0.0})

    def test_open_states_match_the_requests(self):
        open_requests = self.env["ledd.request"].search([("id", "in", self.all_requests.ids), ("is_open", "=", True)])
        self.assertEqual(open_requests, self.all_requests.filtered(lambda r: r.state in OPEN_STATES))
        self.assertEqual(open_requests, self._requests("b", "e", "k", "f", "i", "j"))

    def test_selecting_columns_are_indexed(self):
        for column in ("create_date", "date_first_response", "date_solved"):
            index = f"{self.all_requests._table}__{column}_index"
            self.assertTrue(index_exists(self.env.cr, index), column)

    def _behind(self, unit, method, user):
        return super()._behind(unit, method, user) & self.all_requests

    def test_requests_behind_the_figures(self):
        r1, region = self.unit_r1, self.user_region
        self.assertEqual(self._behind(r1, "action_view_open_requests", region), self._requests("b", "e", "k", "f"))
        self.assertEqual(self._behind(r1, "action_view_vendor_requests", region), self._requests("k", "f"))
        self.assertEqual(
            self._behind(r1, "action_view_recent_requests", region), self._requests("a", "b", "m", "n", "e", "k")
        )
        self.assertEqual(self._behind(r1, "action_view_escalated_requests", region), self._requests("b", "m", "c", "k"))
        self.assertEqual(
            self._behind(r1, "action_view_answered_requests", region), self._requests("a", "b", "c", "d", "e", "f")
        )
        self.assertEqual(self._behind(r1, "action_view_solved_requests", region), self._requests("a", "c", "d"))
        self.assertEqual(self._behind(self.unit_l1, "action_view_open_requests", self.user_local), self._requests("b"))
