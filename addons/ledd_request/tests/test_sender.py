from odoo.exceptions import AccessError

from .common import AUTHSERV_ID, LeddRequestCase, raw_mail


class TestRequestSender(LeddRequestCase):
    """Anyone can write another person's address in a mail's From: a request
    by mail names its requester as unverified unless our own mail server says
    the sender's domain vouched for it, or the sender answered from the address
    Ledd wrote to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("ledd_request.authserv_id", AUTHSERV_ID)
        cls.Request = cls.env["ledd.request"]

    def _process(self, raw):
        return self.Request.browse(self.env["mail.thread"].message_process("ledd.request", raw))

    def test_authentication_results_are_trusted_only_from_our_server_on_top(self):
        genuine_pass = (
            f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=mia@example.com; dkim=pass header.d=example.com;"
            " dmarc=pass (p=reject) header.from=example.com"
        )
        cases = {
            # (a) nothing says who sent it
            "no header": ((), False),
            # (b) our server says fail; the sender added a "pass" in our name below it
            "forged pass below our fail": (
                (
                    f"{AUTHSERV_ID}; spf=fail smtp.mailfrom=mia@example.com; dmarc=fail header.from=example.com",
                    f"{AUTHSERV_ID}; dmarc=pass header.from=example.com",
                ),
                False,
            ),
            # (c) another server's word counts for nothing
            "other server says pass": (("mx.elsewhere.example; dmarc=pass header.from=example.com",), False),
            # (d) our server, on top, says pass (a forged line below changes nothing)
            "our server on top says pass": (
                (genuine_pass, f"{AUTHSERV_ID}; dmarc=fail header.from=example.com"),
                True,
            ),
        }
        for index, (label, (headers, verified)) in enumerate(cases.items()):
            with self.subTest(case=label):
                request = self._process(raw_mail(f"<auth-{index}@example.com>", headers))
                self.assertTrue(request, "the mail must create a request")
                self.assertEqual(request.requester_partner_id, self.member_l1)
                self.assertEqual(request.sender_verified, verified)

    def test_pass_must_be_for_the_from_domain_and_must_be_configured(self):
        cases = {
            # DMARC passed for another domain than the one in From
            "dmarc for another domain": f"{AUTHSERV_ID}; dmarc=pass header.from=elsewhere.example",
            # without DMARC: SPF passed for the attacker's envelope domain only
            "spf for another domain": f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=bounce@elsewhere.example",
            # without DMARC: a DKIM signature by another domain
            "dkim by another domain": f"{AUTHSERV_ID}; dkim=pass header.d=elsewhere.example",
            # DMARC failed: an aligned SPF pass does not overrule it
            "dmarc fail beats spf pass": (
                f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=mia@example.com; dmarc=fail header.from=example.com"
            ),
            # a quoted value cannot smuggle a result in
            "smuggled in a quoted value": (
                f'{AUTHSERV_ID}; spf=fail smtp.mailfrom="x;dmarc=pass header.from=example.com"@elsewhere.example'
            ),
            # a comment cannot either
            "smuggled in a comment": (
                f"{AUTHSERV_ID}; spf=none (dmarc=pass header.from=example.com) smtp.mailfrom=example.com"
            ),
        }
        for index, (label, header) in enumerate(cases.items()):
            with self.subTest(case=label):
                request = self._process(raw_mail(f"<domain-{index}@example.com>", [header]))
                self.assertFalse(request.sender_verified)
        # without DMARC, an aligned SPF or DKIM pass is enough
        aligned = {
            "spf": f"{AUTHSERV_ID}; spf=pass smtp.mailfrom=mia@example.com",
            "dkim": f"{AUTHSERV_ID}; dkim=pass header.d=example.com header.s=sel",
        }
        for index, (label, header) in enumerate(aligned.items()):
            with self.subTest(case=label):
                request = self._process(raw_mail(f"<aligned-{index}@example.com>", [header]))
                self.assertTrue(request.sender_verified)
        # nothing configured (the default): nothing is trusted
        self.env["ir.config_parameter"].sudo().set_param("ledd_request.authserv_id", "")
        request = self._process(
            raw_mail("<unconfigured@example.com>", [f"{AUTHSERV_ID}; dmarc=pass header.from=example.com"])
        )
        self.assertFalse(request.sender_verified)

    def test_default_values_cannot_vouch_for_a_sender(self):
        # custom values are what an alias's defaults become: configuration never verifies a mail
        request_id = self.env["mail.thread"].message_process(
            "ledd.request", raw_mail("<custom-values@example.com>"), custom_values={"sender_verified": True}
        )
        self.assertFalse(self.Request.browse(request_id).sender_verified)

    def test_reply_from_the_address_ledd_wrote_to_verifies_the_requester(self):
        request = self._process(raw_mail("<reply-origin@example.com>"))
        self.assertFalse(request.sender_verified)
        # a note to the handlers was not written to Mia: answering it proves nothing
        note = request.with_user(self.user_manager).message_post(
            body="Ring henne før vi gjør noe", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        answer = request.with_user(self.user_manager).message_post(
            body="Er det du som har skrevet?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        mailed = answer.notification_ids.filtered(lambda n: n.notification_type == "email").res_partner_id
        self.assertIn(self.member_l1, mailed, "the answer went to Mia's address")
        self.assertNotIn(self.member_l1, note.notification_ids.res_partner_id)

        def reply(message_id, parent, sender="Mia Bergen <mia@example.com>"):
            raw = raw_mail(message_id, sender=sender, extra_headers=f"In-Reply-To: {parent.message_id}\r\n")
            self.assertEqual(self.env["mail.thread"].message_process("ledd.request", raw), request.id)

        reply("<reply-to-note@example.com>", note)
        self.assertFalse(request.sender_verified)
        # someone else answering from their own address does not vouch for Mia
        reply("<reply-by-other@example.com>", answer, sender="Nora Nasjonal <nora@example.com>")
        self.assertFalse(request.sender_verified)
        # Mia answers from the address we wrote to
        reply("<reply-by-mia@example.com>", answer)
        self.assertTrue(request.sender_verified)

    def test_only_a_handler_confirms_an_unverified_sender(self):
        request = self._process(raw_mail("<unverified-login@example.com>"))
        self.assertFalse(request.sender_verified)
        # only a handler confirms, and not by writing the flag
        with self.assertRaises(AccessError):
            request.with_user(self.user_local).action_confirm_sender()
        with self.assertRaises(AccessError):
            request.with_user(self.user_local).write({"sender_verified": True})
        with self.assertRaises(AccessError):
            request.with_user(self.user_manager).write({"sender_verified": True})
        self.assertFalse(request.sender_verified)
        request.with_user(self.user_manager).action_confirm_sender()
        self.assertTrue(request.sender_verified)
        confirmation = request.message_ids.filtered(lambda m: "confirmed" in (m.body or ""))
        self.assertEqual(confirmation.author_id, self.user_manager.partner_id)

    def test_requests_made_when_logged_in_are_verified(self):
        # made by a logged-in person (portal, backend): the requester is who they are
        self.assertTrue(self._new_request(self.member_l1).sender_verified)

    def test_mail_to_other_models_is_not_disturbed(self):
        # the verdict rides in the parsed dict that every model's gateway posts
        raw = raw_mail("<other-model@example.com>", [f"{AUTHSERV_ID}; dmarc=pass header.from=example.com"])
        partner = self.env["res.partner"].browse(self.env["mail.thread"].message_process("res.partner", raw))
        self.assertEqual(partner.name, "Kan ikke logge inn")
        self.assertIn("ny-adresse@example.net", partner.message_ids[:1].body)

    def test_handlers_see_the_warning_in_the_form(self):
        arch = self.Request.get_view(self.env.ref("ledd_request.ledd_request_view_form").id)["arch"]
        self.assertIn('invisible="sender_verified"', arch)
        self.assertIn("action_confirm_sender", arch)


class TestRequestSenderDefault(LeddRequestCase):
    def test_by_default_no_mail_server_is_trusted(self):
        param = self.env.ref("ledd_request.ir_config_parameter_authserv_id")
        self.assertEqual(param.key, "ledd_request.authserv_id")
        self.assertFalse((param.value or "").strip())
        raw = raw_mail("<default-param@example.com>", [f"{AUTHSERV_ID}; dmarc=pass header.from=example.com"])
        request_id = self.env["mail.thread"].message_process("ledd.request", raw)
        self.assertFalse(self.env["ledd.request"].browse(request_id).sender_verified)
