from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError

from .common import LeddRequestCase


class TestRequestEscalation(LeddRequestCase):
    def setUp(self):
        super().setUp()
        self.t0 = fields.Datetime.now().replace(microsecond=0)

    def _at(self, hours):
        return freeze_time(self.t0 + timedelta(hours=hours))

    def _cron(self):
        return self.env["ledd.request.router"]._cron_escalate()

    def test_no_response_climbs_the_tree_once_per_deadline_then_vendor(self):
        with self._at(0):
            request = self._new_request(self.member_l1)
        with self._at(1):
            self.assertEqual(self._cron(), 0)
        with self._at(2.5):
            self.assertEqual(self._cron(), 1)
            # once per deadline: running again does nothing
            self.assertEqual(self._cron(), 0)
        self.assertEqual(request.handling_unit_id, self.unit_n)  # Vestland has no superuser
        self.assertEqual(request.state, "escalated")
        self.assertEqual(request.escalation_count, 1)
        hop = request.hop_ids
        self.assertEqual((hop.from_unit_id, hop.to_unit_id, hop.reason), (self.unit_l1, self.unit_n, "no_response"))
        # both levels were told
        note = request.message_ids.filtered(lambda m: "Escalated from" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.partner_ids, self.user_portal_super.partner_id | self.national_super)
        # national deadline: 8 hours after the hop
        with self._at(10):
            self.assertEqual(self._cron(), 0)
        with self._at(11):
            self.assertEqual(self._cron(), 1)
        self.assertTrue(request.handled_by_vendor)
        self.assertEqual(request.escalation_count, 2)
        vendor_hop = request.hop_ids.filtered("to_vendor")
        self.assertEqual(vendor_hop.reason, "no_response")
        vendor_mail = self.env["mail.mail"].search(
            [("email_to", "=", "vendor@example.com"), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(vendor_mail), 1)
        # the vendor is the last step
        with self._at(500):
            self.assertEqual(self._cron(), 0)
        self.assertEqual(request.escalation_count, 2)

    def test_response_stops_the_response_clock_but_not_the_solve_clock(self):
        with self._at(0):
            request = self._new_request(self.member_l1)
        with self._at(1):
            request.with_user(self.user_manager).message_post(
                body="Vi ser på det", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertTrue(request.date_first_response)
        self.assertAlmostEqual(request.response_hours, 1.0, delta=0.05)
        with self._at(3):
            self.assertEqual(self._cron(), 0)
        self.assertEqual(request.handling_unit_id, self.unit_l1)
        with self._at(25):
            self.assertEqual(self._cron(), 1)
        self.assertEqual(request.hop_ids.reason, "not_solved")
        self.assertEqual(request.handling_unit_id, self.unit_n)

    def test_requester_reply_and_internal_note_are_no_response(self):
        with self._at(0):
            request = self._new_request(self.member_l1)
        request.message_post(
            body="Noen?", author_id=self.member_l1.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        request.with_user(self.user_manager).message_post(body="intern", subtype_xmlid="mail.mt_note")
        self.assertFalse(request.date_first_response)

    def test_state_change_by_handler_is_a_response_and_solving_is_timed(self):
        with self._at(0):
            request = self._new_request(self.member_l2)  # handled nationally
        with self._at(2):
            request.with_user(self.user_manager).action_take()
        self.assertEqual(request.state, "in_progress")
        self.assertIn(self.user_manager, request.user_ids)
        self.assertAlmostEqual(request.response_hours, 2.0, delta=0.05)
        with self._at(5):
            request.with_user(self.user_manager).action_solve()
        self.assertEqual(request.state, "solved")
        self.assertAlmostEqual(request.solve_hours, 5.0, delta=0.05)
        with self._at(200):
            self.assertEqual(self._cron(), 0)

    def test_waiting_for_requester_pauses_and_reply_resumes(self):
        request = self._new_request(self.member_l2)
        request.with_user(self.user_manager).action_take()
        request.with_user(self.user_manager).action_wait()
        request.message_post(
            body="Her er skjermbildet",
            author_id=self.member_l2.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(request.state, "in_progress")

    def test_manual_escalation_by_handler_only(self):
        request = self._new_request(self.member_l1)
        with self.assertRaises(AccessError):
            request.with_user(self.user_sibling).action_escalate()
        self.assertEqual(request.escalation_count, 0)
        request.with_user(self.user_manager).action_escalate()
        self.assertEqual(request.hop_ids.reason, "manual")
        self.assertEqual(request.handling_unit_id, self.unit_n)

    def test_figures_aggregate_per_level(self):
        with self._at(0):
            first = self._new_request(self.member_l1)
            second = self._new_request(self.member_l2)
        with self._at(1):
            first.with_user(self.user_manager).action_take()
        with self._at(3):
            second.with_user(self.user_manager).action_take()
        groups = self.env["ledd.request"]._read_group(
            [("id", "in", (first | second).ids)], ["handling_unit_id"], ["response_hours:avg", "__count"]
        )
        figures = {unit: (round(avg, 1), count) for unit, avg, count in groups}
        self.assertEqual(figures, {self.unit_l1: (1.0, 1), self.unit_n: (3.0, 1)})

    def test_escalation_cron_works_in_batches(self):
        with self._at(0):
            requests = self.env["ledd.request"]
            for _i in range(5):
                requests |= self._new_request(self.member_l1)
        with self._at(3):
            self.assertEqual(self.env["ledd.request.router"]._cron_escalate(batch_size=2), 2)
            self.assertEqual(self.env["ledd.request.router"]._cron_escalate(batch_size=2), 2)
            self.assertEqual(self.env["ledd.request.router"]._cron_escalate(batch_size=2), 1)
            self.assertEqual(self.env["ledd.request.router"]._cron_escalate(batch_size=2), 0)
        self.assertEqual(set(requests.mapped("escalation_count")), {1})

    def test_the_scheduled_job_runs_the_ladder(self):
        cron = self.env.ref("ledd_request.ir_cron_ledd_request_escalate")
        self.assertEqual(cron.model_id.model, "ledd.request.router")
        with self._at(0):
            request = self._new_request(self.member_l1)
        with self._at(3):
            cron.method_direct_trigger()
        self.assertEqual(request.handling_unit_id, self.unit_n)
        self.assertEqual(request.hop_ids.reason, "no_response")
