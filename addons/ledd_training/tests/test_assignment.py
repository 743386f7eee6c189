from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from .common import LeddTrainingMixin


@freeze_time("2026-03-02")
class TestAssignmentsFollowRoles(LeddTrainingMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        with freeze_time("2026-03-02"):
            super().setUpClass()
            cls._create_ledd_training()

    def test_taking_a_role_creates_assignments_and_enrols(self):
        course, attest = self._assignments(self.member_l1)
        self.assertEqual(course.requirement_id, self.req_course)
        self.assertEqual(attest.requirement_id, self.req_attest)
        self.assertEqual((course.state, course.date_due, course.cycle), ("due", date(2026, 4, 1), 1))
        self.assertEqual(attest.date_due, date(2026, 5, 1))
        self.assertEqual(course.role_id, self.role_volunteer)
        self.assertEqual(course.unit_id, self.unit_l1)
        self.assertEqual(course.channel_id, self.channel)
        self.assertFalse(attest.channel_id)
        enrolment = self.env["slide.channel.partner"].search(
            [("channel_id", "=", self.channel.id), ("partner_id", "=", self.member_l1.id)]
        )
        self.assertEqual(enrolment.member_status, "joined")

    def test_role_without_requirements_creates_nothing(self):
        self.assertFalse(self._assignments(self.user_local.partner_id))

    def test_two_roles_needing_the_same_training_share_it(self):
        role_g1 = self.env["ledd.role"].create(
            {"partner_id": self.member_l1.id, "unit_id": self.unit_g1.id, "role_type_id": self.rt_volunteer.id}
        )
        course = self._assignments(self.member_l1, self.req_course)
        self.assertEqual(len(course), 1)
        self.assertEqual(course.role_id, self.role_volunteer)
        # Ending the first role: the assignment follows the role that still needs it.
        self.role_volunteer.action_end_today()
        self.assertEqual(course.state, "due")
        self.assertEqual(course.role_id, role_g1)
        self.assertEqual(course.unit_id, self.unit_g1)
        role_g1.action_end_today()
        self.assertEqual(course.state, "cancelled")
        self.assertEqual(len(self._assignments(self.member_l1, self.req_course)), 1)

    def test_ending_the_role_cancels_open_but_keeps_done(self):
        course = self._assignments(self.member_l1, self.req_course)
        attest = self._assignments(self.member_l1, self.req_attest)
        attest._confirm(date(2026, 2, 1))
        self.role_volunteer.action_end_today()
        self.assertEqual(course.state, "cancelled")
        self.assertEqual(attest.state, "done")
        self.assertEqual(attest.date_expiry, date(2029, 2, 1))

    def test_changing_the_role_type(self):
        course = self._assignments(self.member_l1, self.req_course)
        self.role_volunteer.role_type_id = self.env.ref("ledd_base.role_type_board_member")
        self.assertEqual(course.state, "cancelled")
        self.assertFalse(self._assignments(self.member_l1, states=("due", "overdue")))
        self.role_volunteer.with_user(self.user_manager).role_type_id = self.rt_leader
        leader_course = self._assignments(self.member_l1, states=("due",))
        self.assertEqual(leader_course.requirement_id, self.req_course_leader)
        self.assertEqual(leader_course.date_due, date(2026, 3, 16))
        self.assertEqual(leader_course.role_type_id, self.rt_leader)

    def test_deleting_the_role_cancels(self):
        course = self._assignments(self.member_l1, self.req_course)
        self.role_volunteer.unlink()
        self.assertEqual(course.state, "cancelled")
        self.assertFalse(course.role_id)

    def test_scoped_user_giving_a_role_creates_assignments(self):
        self.env["ledd.role"].with_user(self.user_local).create(
            {"partner_id": self.member_g1.id, "unit_id": self.unit_g1.id, "role_type_id": self.rt_volunteer.id}
        )
        self.assertEqual(self._assignments(self.member_g1).requirement_id, self.req_course | self.req_attest)

    def test_new_requirement_reaches_current_holders(self):
        first_aid = self.env["ledd.training.requirement"].create(
            {"name": "T First aid", "role_type_id": self.rt_volunteer.id, "kind": "attestation"}
        )
        self.assertEqual(self._assignments(self.member_l1, first_aid).state, "due")
        first_aid.active = False
        self.assertEqual(self._assignments(self.member_l1, first_aid).state, "cancelled")

    def test_role_starting_later_gets_training_when_it_starts(self):
        self.env["ledd.role"].create(
            {
                "partner_id": self.member_l2.id,
                "unit_id": self.unit_l2.id,
                "role_type_id": self.rt_volunteer.id,
                "date_start": date(2026, 3, 10),
            }
        )
        self.assertFalse(self._assignments(self.member_l2))
        with freeze_time("2026-03-10"):
            self.env["ledd.role"]._cron_update_current()
            self.env["ledd.training.sync"]._update_states_by_date()
            course = self._assignments(self.member_l2, self.req_course)
            self.assertEqual((course.state, course.date_due), ("due", date(2026, 4, 9)))

    def test_role_ending_by_date_cancels_in_the_cron(self):
        self.role_volunteer.date_end = date(2026, 3, 20)
        course = self._assignments(self.member_l1, self.req_course)
        self.assertEqual(course.state, "due")
        with freeze_time("2026-03-20"):
            self.env["ledd.role"]._cron_update_current()
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(course.state, "cancelled")

    def test_overdue_by_date(self):
        course = self._assignments(self.member_l1, self.req_course)
        with freeze_time("2026-04-01"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(course.state, "due")
        with freeze_time("2026-04-02"):
            self.env["ledd.training.sync"]._update_states_by_date()
            self.assertEqual(course.state, "overdue")

    def test_at_most_one_open_assignment_in_the_database(self):
        course = self._assignments(self.member_l1, self.req_course)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            course.copy({"state": "overdue"})
        # A closed cycle next to the open one is fine.
        course.copy({"state": "expired"})

    def test_concurrent_open_cycle_is_skipped(self):
        """The cycle another transaction opened first is not created twice, and
        the other cycles of the same batch are still created."""
        course = self._assignments(self.member_l1, self.req_course)
        values = {
            "partner_id": self.member_l1.id,
            "requirement_id": self.req_course.id,
            "role_id": self.role_volunteer.id,
            "unit_id": self.unit_l1.id,
            "date_due": date(2026, 4, 1),
        }
        with mute_logger("odoo.sql_db", "odoo.addons.ledd_training.models.ledd_training_sync"):
            created = self.env["ledd.training.sync"]._create_cycles(
                [values, dict(values, partner_id=self.member_l2.id)]
            )
        self.assertEqual(created.partner_id, self.member_l2)
        self.assertEqual(self._assignments(self.member_l1, self.req_course), course)
