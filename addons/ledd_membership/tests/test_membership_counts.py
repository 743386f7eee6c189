from odoo.tests import TransactionCase

from .common import LeddMembershipMixin

NO_ONE = {"none": 0, "canceled": 0, "old": 0, "waiting": 0, "invoiced": 0, "free": 0, "paid": 0}


class TestMembershipCounts(LeddMembershipMixin, TransactionCase):
    """Members per membership state for each unit's whole subtree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_membership()
        # Known states: free through the contact's flag, the others as invoicing
        # and payments would leave them.
        cls.member_g1.free_member = True
        cls.member_l1.membership_state = "paid"
        cls.member_l3.membership_state = "paid"
        cls.member_l2.membership_state = "old"
        cls.member_nounit.membership_state = "paid"

    def _expected(self, **counts):
        return dict(NO_ONE, **counts)

    def test_counts_of_each_subtree(self):
        counts = self.test_units._ledd_membership_counts()
        self.assertEqual(
            counts,
            {
                self.unit_n.id: self._expected(paid=2, free=1, old=1, none=3),
                self.unit_r1.id: self._expected(paid=1, free=1, old=1, none=3),
                self.unit_r2.id: self._expected(paid=1),
                self.unit_l1.id: self._expected(paid=1, free=1, none=2),
                self.unit_l2.id: self._expected(old=1),
                self.unit_l3.id: self._expected(paid=1),
                self.unit_g1.id: self._expected(free=1),
            },
        )

    def test_counts_of_some_units(self):
        counts = (self.unit_l1 | self.unit_r2)._ledd_membership_counts()
        self.assertEqual(
            counts,
            {
                self.unit_l1.id: self._expected(paid=1, free=1, none=2),
                self.unit_r2.id: self._expected(paid=1),
            },
        )
        self.assertEqual(self.env["ledd.unit"]._ledd_membership_counts(), {})

    def test_counts_follow_the_callers_scope(self):
        counts = self.unit_n.with_user(self.user_local)._ledd_membership_counts()
        self.assertEqual(counts, {self.unit_n.id: self._expected(paid=1, free=1, none=2)})

    def test_counts_do_not_loop_over_members(self):
        units = self.test_units.with_context(prefetch_fields=False)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=2):
            units._ledd_membership_counts()
