from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase

from .common import LeddTrainingMixin


class TestOnboarding(LeddTrainingMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_training()
        Step = cls.env["ledd.onboarding.step"]
        cls.step_meet = Step.create({"name": "Meet your leader", "role_type_id": cls.rt_volunteer.id, "sequence": 40})
        cls.step_access = Step.create(
            {"name": "Portal access", "role_type_id": cls.rt_volunteer.id, "check": "portal_access", "sequence": 10}
        )
        cls.step_login = Step.create(
            {"name": "First login", "role_type_id": cls.rt_volunteer.id, "check": "first_login", "sequence": 20}
        )
        cls.step_course = Step.create(
            {
                "name": "Course done",
                "role_type_id": cls.rt_volunteer.id,
                "check": "training",
                "requirement_id": cls.req_course.id,
                "sequence": 30,
            }
        )
        cls.role_portal = cls.env["ledd.role"].create(
            {
                "partner_id": cls.user_portal.partner_id.id,
                "unit_id": cls.unit_l1.id,
                "role_type_id": cls.rt_volunteer.id,
            }
        )

    def _lines(self, role):
        return self.env["ledd.onboarding.line"].search([("role_id", "=", role.id)], order="sequence")

    def test_checklist_in_order_for_new_and_existing_holders(self):
        self.assertEqual(
            self._lines(self.role_portal).step_id.mapped("name"),
            ["Portal access", "First login", "Course done", "Meet your leader"],
        )
        # The volunteer role existed before the steps: the steps reached it too.
        self.assertEqual(len(self._lines(self.role_volunteer)), 4)

    def test_automatic_steps(self):
        access, login, course, meet = self._lines(self.role_portal)
        self.assertTrue(access.done)
        self.assertFalse(login.done)
        self.env["res.users.log"].with_user(self.user_portal).sudo().create({})
        self.env["ledd.onboarding.line"]._cron_refresh()
        self.assertTrue(login.done)
        self.assertFalse(course.done)
        self.channel.slide_ids.with_user(self.user_portal).action_mark_completed()
        self.assertTrue(course.done)
        self.assertFalse(meet.done)
        # No login at all: the person without a user has neither.
        access_l1, login_l1 = self._lines(self.role_volunteer)[:2]
        self.assertFalse(access_l1.done or login_l1.done)

    def test_leader_ticks_manual_steps_in_scope(self):
        meet = self._lines(self.role_volunteer).filtered(lambda line: line.step_id == self.step_meet)
        meet.with_user(self.user_local).action_tick()
        self.assertTrue(meet.done)
        self.assertEqual(meet.done_by_id, self.user_local)
        meet.with_user(self.user_portal_super).action_untick()
        self.assertFalse(meet.done)
        with self.assertRaises(AccessError):
            meet.with_user(self.user_sibling).action_tick()
        with self.assertRaises(AccessError):
            meet.with_user(self.user_portal).action_tick()
        self.assertFalse(meet.done)

    def test_nobody_ticks_their_own_steps_or_automatic_ones(self):
        own = self._lines(self.role_portal).filtered(lambda line: line.step_id == self.step_meet)
        with self.assertRaises(AccessError):
            own.with_user(self.user_portal).action_tick()
        login = self._lines(self.role_volunteer).filtered(lambda line: line.step_id == self.step_login)
        with self.assertRaises(UserError):
            login.with_user(self.user_local).action_tick()

    def test_leaders_see_the_checklists_of_their_people(self):
        partners = self.member_l1 | self.user_portal.partner_id
        Line = self.env["ledd.onboarding.line"]
        self.assertEqual(
            Line.with_user(self.user_local).search([("partner_id", "in", partners.ids)]).partner_id, partners
        )
        self.assertFalse(Line.with_user(self.user_sibling).search([("partner_id", "in", partners.ids)]))
        self.assertEqual(
            Line.with_user(self.user_portal).search([("partner_id", "in", partners.ids)]).partner_id,
            self.user_portal.partner_id,
        )

    def test_role_type_change_replaces_open_steps(self):
        meet = self._lines(self.role_volunteer).filtered(lambda line: line.step_id == self.step_meet)
        meet.action_tick()
        leader_step = self.env["ledd.onboarding.step"].create(
            {"name": "Leader course", "role_type_id": self.rt_leader.id}
        )
        self.role_volunteer.role_type_id = self.rt_leader
        self.assertEqual(self._lines(self.role_volunteer).step_id, self.step_meet | leader_step)
