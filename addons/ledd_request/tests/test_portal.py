from odoo.tests import tagged

from .common import LeddRequestHttpCase


@tagged("post_install", "-at_install")
class TestRequestPortal(LeddRequestHttpCase):
    def test_member_reports_follows_and_replies(self):
        self.authenticate("t_portal", "t_portal")
        home = self.url_open("/my")
        self.assertIn('href="/my/requests"', home.text)
        token = self._csrf("/my/requests/new")
        # invalid: no title
        response = self.url_open(
            "/my/requests/new", data={"csrf_token": token, "request_type": "error", "name": "", "description": "x"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Give the request a short title.", response.text)
        self.assertFalse(
            self.env["ledd.request"].search([("requester_partner_id", "=", self.user_portal.partner_id.id)])
        )
        # valid
        response = self.url_open(
            "/my/requests/new",
            data={
                "csrf_token": token,
                "request_type": "error",
                "name": "Medlemslisten laster ikke",
                "description": "Den spinner bare.",
            },
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["ledd.request"].search([("requester_partner_id", "=", self.user_portal.partner_id.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.handling_unit_id, self.unit_l1)
        self.assertIn("Thank you", response.text)
        self.assertIn("New", response.text)
        # reply from the requester: no first response
        self.url_open(f"/my/requests/{request.id}/reply", data={"csrf_token": token, "body": "Fortsatt feil"})
        self.assertIn("Fortsatt feil", request.message_ids.mapped("body")[0])
        self.assertFalse(request.date_first_response)
        # a member cannot change the state except closing
        response = self.url_open(f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "solve"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(request.state, "new")

    def test_portal_superuser_handles_the_units_requests(self):
        request = self._new_request(self.member_l1, name="Glemt passord")
        other = self._new_request(self.member_l3, name="Stavanger-saken")
        self.authenticate("t_portal_super", "t_portal_super")
        listing = self.url_open("/my/requests")
        self.assertIn("Glemt passord", listing.text)
        self.assertNotIn("Stavanger-saken", listing.text)
        self.assertEqual(self.url_open(f"/my/requests/{other.id}").status_code, 404)
        token = self._csrf(f"/my/requests/{request.id}")
        self.url_open(f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "take"})
        self.assertEqual(request.state, "in_progress")
        self.assertTrue(request.date_first_response)
        self.url_open(f"/my/requests/{request.id}/reply", data={"csrf_token": token, "body": "Ny lenke er sendt"})
        self.url_open(f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "solve"})
        self.assertEqual(request.state, "solved")
        # the requester sees the state and the answer
        self.authenticate("t_portal", "t_portal")
        self.assertEqual(self.url_open(f"/my/requests/{request.id}").status_code, 404)
        request.requester_partner_id = self.user_portal.partner_id
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertIn("Solved", page.text)
        self.assertIn("Ny lenke er sendt", page.text)

    def test_wish_decision_is_shown_to_the_requester(self):
        wish = self._new_request(self.user_portal.partner_id, request_type="wish", name="Mørk modus")
        wish.write({"decision": "not_now", "decision_note": "Kanskje neste år"})
        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/requests/{wish.id}")
        self.assertIn("Not Now", page.text)
        self.assertIn("Kanskje neste år", page.text)

    def test_tour_report_a_problem(self):
        self.start_tour("/my", "ledd_request_portal_tour", login="t_portal")
        request = self.env["ledd.request"].search([("requester_partner_id", "=", self.user_portal.partner_id.id)])
        self.assertEqual(request.name, "Medlemslisten laster ikke")
        self.assertEqual(request.request_type, "error")
        self.assertEqual(request.handling_unit_id, self.unit_l1)
        self.assertIn("Den spinner bare.", request.description)
        self.assertIn("Fortsatt feil i dag", request.message_ids.mapped("body")[0])

    def test_requester_sees_public_replies_but_not_log_notes(self):
        request = self._new_request(self.user_portal.partner_id, request_type="error", name="Listen er tom")
        note = request.with_user(self.user_manager).message_post(
            body="Intern: sjekk tilgangene hans først", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        reply = request.with_user(self.user_manager).message_post(
            body="Vi har rettet feilen", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertFalse(note.is_internal, "a log note is internal by its subtype only")
        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Vi har rettet feilen", page.text)
        self.assertNotIn("sjekk tilgangene", page.text)
        # nor through the calls a JSON-RPC client makes
        readable = (
            self.env["mail.message"]
            .with_user(self.user_portal)
            .search([("model", "=", request._name), ("res_id", "=", request.id)])
        )
        self.assertIn(reply, readable)
        self.assertNotIn(note, readable)
        # the handler in the portal is no employee either: the same messages
        self.authenticate("t_portal_super", "t_portal_super")
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertIn("Vi har rettet feilen", page.text)
        self.assertNotIn("sjekk tilgangene", page.text)

    def test_reply_is_escaped_once_and_keeps_its_lines(self):
        request = self._new_request(self.user_portal.partner_id, request_type="question", name="Spørsmål")
        self.authenticate("t_portal", "t_portal")
        token = self._csrf(f"/my/requests/{request.id}")
        self.url_open(
            f"/my/requests/{request.id}/reply",
            data={"csrf_token": token, "body": "Første linje\r\nAndre linje med <b>tegn</b>"},
        )
        message = request.message_ids.filtered(lambda m: "Første linje" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Første linje<br>Andre linje", message.body)
        self.assertNotIn("&lt;br", message.body)
        # what the person typed stays text, escaped once
        self.assertIn("&lt;b&gt;tegn&lt;/b&gt;", message.body)
        self.assertNotIn("&amp;lt;", message.body)

    def test_portal_handler_is_warned_of_an_unverified_sender(self):
        request = self._new_request(self.member_l1, name="Bytt e-posten min", sender_verified=False)
        self.authenticate("t_portal_super", "t_portal_super")
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertIn("sender is not verified", page.text)
        token = self._csrf(f"/my/requests/{request.id}")
        response = self.url_open(
            f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "confirm_sender"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(request.sender_verified)
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertNotIn("sender is not verified", page.text)

    def test_requester_cannot_confirm_their_own_sender(self):
        request = self._new_request(self.user_portal.partner_id, name="Bytt e-posten min", sender_verified=False)
        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertNotIn("sender is not verified", page.text, "the warning is for handlers")
        token = self._csrf(f"/my/requests/{request.id}")
        response = self.url_open(
            f"/my/requests/{request.id}/state", data={"csrf_token": token, "action": "confirm_sender"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(request.sender_verified)
