from odoo import fields

from .common import LeddRequestCase


class TestRequestRouting(LeddRequestCase):
    def test_goes_to_own_unit_with_a_superuser(self):
        request = self._new_request(self.member_l1)
        self.assertEqual(request.unit_id, self.unit_l1)
        self.assertEqual(request.handling_unit_id, self.unit_l1)
        self.assertEqual(request.state, "new")
        self.assertFalse(request.escalation_count)
        self.assertFalse(request.hop_ids)
        self.assertIn(self.user_portal_super.partner_id, request.message_partner_ids)
        self.assertIn(self.member_l1, request.message_partner_ids)

    def test_goes_to_nearest_ancestor_with_a_superuser(self):
        # Bergen ungdom has no superuser: Bergen's
        self.assertEqual(self._new_request(self.member_g1).handling_unit_id, self.unit_l1)
        # Voss and Vestland have none: the national office
        self.assertEqual(self._new_request(self.member_l2).handling_unit_id, self.unit_n)
        # once Vestland gets one, Voss goes there
        self.env["ledd.role"].create(
            {"partner_id": self.member_r1.id, "unit_id": self.unit_r1.id, "role_type_id": self.rt_superuser.id}
        )
        self.assertEqual(self._new_request(self.member_l2).handling_unit_id, self.unit_r1)

    def test_ended_superuser_does_not_count(self):
        self.role_portal_super.action_end_today()
        self.assertEqual(self._new_request(self.member_l1).handling_unit_id, self.unit_n)

    def test_person_without_unit_goes_to_the_top(self):
        request = self._new_request(self.member_nounit)
        self.assertFalse(request.handling_unit_id.parent_id)

    def test_deadlines_follow_the_level_and_unit_override(self):
        request = self._new_request(self.member_l1)
        self.assertAlmostEqual(
            (request.date_response_deadline - request.date_assigned).total_seconds() / 3600, 2.0, places=3
        )
        self.assertAlmostEqual(
            (request.date_solve_deadline - request.date_assigned).total_seconds() / 3600, 24.0, places=3
        )
        self.unit_l1.request_response_hours = 1
        request = self._new_request(self.member_l1)
        self.assertAlmostEqual(
            (request.date_response_deadline - request.date_assigned).total_seconds() / 3600, 1.0, places=3
        )

    def test_working_hours_calendar_is_respected(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Weekdays 8-16",
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": f"Day {d}", "dayofweek": str(d), "hour_from": 8, "hour_to": 16}) for d in range(5)
                ],
            }
        )
        self.type_local.request_calendar_id = calendar
        from datetime import datetime, timedelta

        from freezegun import freeze_time

        # The next Friday 15:00 (the roles start today: the clock may not go back
        # before them): two working hours end on the Monday after, 09:00.
        today = fields.Date.today()
        friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
        with freeze_time(datetime.combine(friday, datetime.min.time()).replace(hour=15)):
            request = self._new_request(self.member_l1)
        monday = friday + timedelta(days=3)
        self.assertEqual(request.date_response_deadline, datetime.combine(monday, datetime.min.time()).replace(hour=9))

    def test_email_to_the_alias_creates_a_request(self):
        alias = self.env.ref("ledd_request.mail_alias_ledd_request")
        self.assertEqual(alias.alias_model_id.model, "ledd.request")
        raw = (
            "Return-Path: <mia@example.com>\r\n"
            "To: support@example.com\r\n"
            "From: Mia Bergen <mia@example.com>\r\n"
            "Subject: Finner ikke medlemslisten\r\n"
            "Message-ID: <ledd-test-1@example.com>\r\n"
            "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Hvor finner jeg medlemslisten?\r\n"
        )
        request_id = self.env["mail.thread"].message_process("ledd.request", raw)
        request = self.env["ledd.request"].browse(request_id)
        self.assertEqual(request.name, "Finner ikke medlemslisten")
        self.assertEqual(request.requester_partner_id, self.member_l1)
        self.assertEqual(request.handling_unit_id, self.unit_l1)
        self.assertIn("medlemslisten", request.description)
        # a reply by mail threads into the same request
        reply = raw.replace("Message-ID: <ledd-test-1@example.com>", "Message-ID: <ledd-test-2@example.com>")
        reply = reply.replace("Subject: Finner", "In-Reply-To: <ledd-test-1@example.com>\r\nSubject: Re: Finner")
        self.assertEqual(self.env["mail.thread"].message_process("ledd.request", reply), request.id)
