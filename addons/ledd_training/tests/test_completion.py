from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase

from .common import LeddTrainingMixin


@freeze_time("2026-03-02")
class TestCompletion(LeddTrainingMixin, TransactionCase):
    """Finishing the course in website_slides marks the training done."""

    @classmethod
    def setUpClass(cls):
        with freeze_time("2026-03-02"):
            super().setUpClass()
            cls._create_ledd_training()
            cls.portal_role = cls.env["ledd.role"].create(
                {
                    "partner_id": cls.user_portal.partner_id.id,
                    "unit_id": cls.unit_l1.id,
                    "role_type_id": cls.rt_volunteer.id,
                }
            )

    def test_finishing_the_course_as_the_member(self):
        partner = self.user_portal.partner_id
        course = self._assignments(partner, self.req_course)
        lesson_1, lesson_2 = self.channel.slide_ids
        lesson_1.with_user(self.user_portal).action_mark_completed()
        self.assertEqual(course.state, "due")
        self.assertEqual(course.progress, 50)
        with freeze_time("2026-03-05"):
            lesson_2.with_user(self.user_portal).action_mark_completed()
            self.assertEqual(course.state, "done")
            self.assertEqual(course.date_done, date(2026, 3, 5))
            self.assertEqual(course.date_expiry, date(2027, 3, 5))
            self.assertEqual(course.done_how, "course")
            self.assertEqual(course.progress, 100)
        # The attestation is not a course: untouched.
        self.assertEqual(self._assignments(partner, self.req_attest).state, "due")

    def test_finishing_without_a_login(self):
        course = self._assignments(self.member_l1, self.req_course)
        self._complete_course(self.member_l1, self.channel)
        self.assertEqual(course.state, "done")
        self.assertEqual(course.date_done, date(2026, 3, 2))

    def test_one_completion_fulfils_every_requirement_of_the_course(self):
        self.env["ledd.role"].create(
            {"partner_id": self.member_l1.id, "unit_id": self.unit_g1.id, "role_type_id": self.rt_leader.id}
        )
        self._complete_course(self.member_l1, self.channel)
        self.assertEqual(
            set(self._assignments(self.member_l1, states=("done",)).requirement_id.ids),
            {self.req_course.id, self.req_course_leader.id},
        )

    def test_course_finished_before_the_role_counts(self):
        self.channel._action_add_members(self.member_l3)
        self._complete_course(self.member_l3, self.channel)
        self.env["ledd.role"].create(
            {"partner_id": self.member_l3.id, "unit_id": self.unit_l3.id, "role_type_id": self.rt_volunteer.id}
        )
        course = self._assignments(self.member_l3, self.req_course)
        self.assertEqual((course.state, course.date_done), ("done", date(2026, 3, 2)))

    def test_expiry_opens_a_new_cycle_and_the_retake_is_tracked(self):
        partner = self.user_portal.partner_id
        first = self._assignments(partner, self.req_course)
        self.channel.slide_ids.with_user(self.user_portal).action_mark_completed()
        self.assertEqual(first.date_expiry, date(2027, 3, 2))
        with freeze_time("2027-03-01"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(first.state, "done")
        with freeze_time("2027-03-02"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(first.state, "expired")
            second = self._assignments(partner, self.req_course, states=("due",))
            self.assertEqual((second.cycle, second.date_due), (2, date(2027, 4, 1)))
            self.assertEqual(second.channel_id, self.channel)
            enrolment = self.env["slide.channel.partner"].search(
                [("channel_id", "=", self.channel.id), ("partner_id", "=", partner.id)]
            )
            self.assertEqual((enrolment.member_status, enrolment.completion), ("joined", 0))
            self.assertEqual(second.progress, 0)
        with freeze_time("2027-03-10"):
            self.channel.slide_ids.with_user(self.user_portal).action_mark_completed()
            self.assertEqual((second.state, second.date_done), ("done", date(2027, 3, 10)))
        history = self._assignments(partner, self.req_course, states=("done", "expired"))
        self.assertEqual(history.mapped("date_done"), [date(2026, 3, 2), date(2027, 3, 10)])

    def test_refresher_course_for_later_cycles(self):
        self.req_course.refresher_channel_id = self.refresher
        first = self._assignments(self.member_l1, self.req_course)
        self._complete_course(self.member_l1, self.channel)
        with freeze_time("2027-03-02"):
            self.env["ledd.training.sync"]._update_states_by_date()
            second = self._assignments(self.member_l1, self.req_course, states=("due",))
            self.assertEqual(second.channel_id, self.refresher)
            self.assertTrue(
                self.env["slide.channel.partner"].search_count(
                    [("channel_id", "=", self.refresher.id), ("partner_id", "=", self.member_l1.id)]
                )
            )
            # The refresher course is what completes the new cycle.
            self._complete_course(self.member_l1, self.refresher)
            self.assertEqual(second.state, "done")
        self.assertEqual(first.state, "expired")

    def test_no_expiry_when_valid_forever(self):
        self.req_course.valid_months = 0
        course = self._assignments(self.member_l1, self.req_course)
        self._complete_course(self.member_l1, self.channel)
        self.assertFalse(course.date_expiry)
        with freeze_time("2036-03-02"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(course.state, "done")
            self.assertEqual(len(self._assignments(self.member_l1, self.req_course)), 1)
