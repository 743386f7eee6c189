from odoo.tests import TransactionCase

from .common import LeddTrainingMixin


class TestTrainingScope(LeddTrainingMixin, TransactionCase):
    """A local leader sees the training of their branch only; figures follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_training()
        Role = cls.env["ledd.role"]
        for partner, unit in (
            (cls.member_g1, cls.unit_g1),
            (cls.member_l2, cls.unit_l2),
            (cls.member_l3, cls.unit_l3),
            (cls.user_portal.partner_id, cls.unit_l1),
        ):
            Role.create({"partner_id": partner.id, "unit_id": unit.id, "role_type_id": cls.rt_volunteer.id})
        cls.people = cls.member_l1 | cls.member_g1 | cls.member_l2 | cls.member_l3 | cls.user_portal.partner_id

    def _visible(self, user, model="ledd.training.assignment"):
        return self.env[model].with_user(user).search([("partner_id", "in", self.people.ids)]).partner_id

    def test_local_user_sees_own_branch_only(self):
        self.assertEqual(self._visible(self.user_local), self.member_l1 | self.member_g1 | self.user_portal.partner_id)

    def test_region_user_sees_the_region(self):
        self.assertEqual(
            self._visible(self.user_region),
            self.member_l1 | self.member_g1 | self.member_l2 | self.user_portal.partner_id,
        )

    def test_sibling_region_sees_nothing_of_ours(self):
        self.assertEqual(self._visible(self.user_sibling), self.member_l3)
        groups = (
            self.env["ledd.training.assignment"]
            .with_user(self.user_sibling)
            ._read_group([("partner_id", "in", self.people.ids)], ["unit_id"], ["__count"])
        )
        self.assertEqual([unit for unit, _count in groups], [self.unit_l3])

    def test_manager_and_business_owner_see_all(self):
        self.assertEqual(self._visible(self.user_manager), self.people)

    def test_portal_user_sees_own_training_only(self):
        self.assertEqual(self._visible(self.user_portal), self.user_portal.partner_id)
        self.assertFalse(self._visible(self.user_portal_super))

    def test_unit_figures_over_the_subtree(self):
        self._complete_course(self.member_g1, self.channel)
        unit = self.unit_l1.with_user(self.user_local)
        # L1 and G1: three people with two mandatory items each, one done.
        self.assertEqual(unit.training_done_count, 1)
        self.assertEqual(unit.training_open_count, 5)
        self.assertAlmostEqual(unit.training_completion_rate, 100 / 6, places=1)
        self.assertEqual(self.unit_g1.with_user(self.user_local).training_completion_rate, 50.0)
        action = unit.action_view_training()
        self.assertEqual(action["domain"], [("unit_id", "child_of", self.unit_l1.id)])
        # Figures count what the user may see: the national unit, seen from Stavanger,
        # holds Siri's two and the Stavanger leader's own course.
        national = self.unit_n.with_user(self.user_sibling)
        self.assertEqual((national.training_done_count, national.training_open_count), (0, 3))
