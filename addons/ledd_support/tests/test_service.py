from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from .common import TOTP_SECRET, LeddSupportMixin


class LeddSupportCase(LeddSupportMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_support_organisation()

    def assertRefused(self, result, code, partner, action):
        """Refused with ``code``, nothing sent, and the refusal on record."""
        self.assertFalse(result["ok"], result)
        self.assertEqual(result["code"], code, result)
        self.assertTrue(result["message"])
        log = self._logs(partner).filtered(lambda row: row.action == action)[:1]
        self.assertEqual(log.outcome, "refused")
        self.assertEqual(log.code, code)


@tagged("post_install", "-at_install")
class TestSendPasswordReset(LeddSupportCase):
    def test_reset_in_scope_is_queued_with_a_link(self):
        per = self.user_portal
        result = self._as(self.user_portal_super).send_password_reset(per.partner_id.id, reason="Forgot it")
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["code"], "reset_sent")
        mail = self._mails("per@example.com")
        self.assertEqual(len(mail), 1)
        # queued, not sent: the action works while no mail server answers
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("/web/reset_password?", mail.body_html)
        self.assertIn("token=", mail.body_html)
        self.assertEqual(per.sudo().ledd_link_kind, "reset")
        self.assertTrue(per.sudo().ledd_link_expiry_date > per.sudo().ledd_link_sent_date)
        log = self._logs(per.partner_id)
        self.assertEqual(len(log), 1)
        self.assertRecordValues(
            log,
            [
                {
                    "actor_id": self.user_portal_super.id,
                    "actor_name": "Sara Superbruker",
                    "target_name": "Per Portal",
                    "target_unit_id": self.unit_l1.id,
                    "action": "send_password_reset",
                    "outcome": "done",
                    "reason": "Forgot it",
                }
            ],
        )
        note = per.partner_id.message_ids.filtered(lambda msg: "new password" in (msg.body or ""))
        self.assertTrue(note, "the action is posted on the person's chatter")

    def test_works_while_no_mail_server_answers(self):
        mail_server_class = type(self.env["ir.mail_server"])
        with patch.object(mail_server_class, "connect", side_effect=ConnectionRefusedError("no mail server")):
            result = self._as(self.user_portal_super).send_password_reset(self.user_portal.partner_id.id)
            self.assertTrue(result["ok"], result)
            result = self._as(self.user_portal_super).grant_portal_access(self.member_l1.id)
            self.assertTrue(result["ok"], result)
        self.assertEqual(self._mails("per@example.com").state, "outgoing")
        self.assertEqual(self._mails("mia@example.com").state, "outgoing")

    def test_reset_refused_out_of_scope(self):
        siri = self._portal_user(self.member_l3, "siri-login")
        result = self._as(self.user_portal_super).send_password_reset(self.member_l3.id)
        self.assertRefused(result, "not_found", self.member_l3, "send_password_reset")
        self.assertFalse(self._mails("siri@example.com"))
        self.assertFalse(siri.ledd_link_sent_date)

    def test_reset_refused_on_internal_user_and_admin(self):
        result = self._as(self.user_portal_super).send_password_reset(self.user_local.partner_id.id)
        self.assertRefused(result, "internal_user", self.user_local.partner_id, "send_password_reset")
        admin = self.env.ref("base.user_admin")
        admin.partner_id.ledd_unit_id = self.unit_l1
        result = self._as(self.user_portal_super).send_password_reset(admin.partner_id.id)
        self.assertRefused(result, "admin", admin.partner_id, "send_password_reset")
        # not even a Ledd manager may
        result = self._as(self.user_manager).send_password_reset(admin.partner_id.id)
        self.assertEqual(result["code"], "admin")
        result = self._as(self.user_manager).send_password_reset(self.user_local.partner_id.id)
        self.assertEqual(result["code"], "internal_user")
        self.assertFalse(self.user_local.ledd_link_sent_date)
        self.assertFalse(admin.ledd_link_sent_date)

    def test_technical_accounts_refused_even_to_managers(self):
        for xmlid in ("base.public_user", "base.template_portal_user_id"):
            account = self.env.ref(xmlid)
            self.assertFalse(account.active)
            account.partner_id.active = True  # past "not found": the account itself is refused
            result = self._as(self.user_manager).reactivate_user(account.partner_id.id)
            self.assertRefused(result, "technical_account", account.partner_id, "reactivate_user")
            self.assertFalse(account.active)

    def test_reset_refused_on_oneself(self):
        sara = self.user_portal_super
        result = self._as(sara).send_password_reset(sara.partner_id.id)
        self.assertRefused(result, "self", sara.partner_id, "send_password_reset")
        self.assertFalse(self._mails("sara@example.com"))

    def test_anti_escalation(self):
        sara = self.user_portal_super
        # a peer superuser in the same unit: refused both ways
        result = self._as(sara).send_password_reset(self.user_peer_super.partner_id.id)
        self.assertRefused(result, "higher_role", self.user_peer_super.partner_id, "send_password_reset")
        result = self._as(self.user_peer_super).send_password_reset(sara.partner_id.id)
        self.assertEqual(result["code"], "higher_role")
        self.assertFalse(self._mails("peder@example.com") | self._mails("sara@example.com"))
        # a superuser strictly below: allowed
        self.assertTrue(self._as(sara).send_password_reset(self.user_group_super.partner_id.id)["ok"])
        # the region superuser may help both peers
        self.assertTrue(self._as(self.user_region_super).send_password_reset(sara.partner_id.id)["ok"])
        self.assertTrue(self._as(self.user_region_super).send_password_reset(self.user_peer_super.partner_id.id)["ok"])
        # and nobody below the region may help its superuser, nor learn about them
        result = self._as(sara).send_password_reset(self.user_region_super.partner_id.id)
        self.assertEqual(result["code"], "not_found")

    def test_ended_role_ends_the_right_at_once(self):
        self.role_portal_super.with_user(self.user_manager).action_end_today()
        result = self._as(self.user_portal_super).send_password_reset(self.user_portal.partner_id.id)
        self.assertRefused(result, "no_support_role", self.user_portal.partner_id, "send_password_reset")

    def test_role_ended_by_date_no_longer_outranks(self):
        """Peder's superuser role ended today by date; the nightly cron has not
        run yet (the stored flag still says current). Sara may help him now."""
        role = self.env["ledd.role"].search([("partner_id", "=", self.user_peer_super.partner_id.id)])
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE ledd_role SET date_end = date_start WHERE id = %s", role.id))
        self.env.invalidate_all()
        self.assertTrue(role.is_current)
        result = self._as(self.user_portal_super).send_password_reset(self.user_peer_super.partner_id.id)
        self.assertTrue(result["ok"], result)

    def test_staff_without_support_role_refused(self):
        result = self._as(self.user_local).send_password_reset(self.user_portal.partner_id.id)
        self.assertRefused(result, "no_support_role", self.user_portal.partner_id, "send_password_reset")
        self.assertFalse(self._mails("per@example.com"))

    def test_manager_acts_everywhere(self):
        self._portal_user(self.member_l3, "siri-login")
        result = self._as(self.user_manager).send_password_reset(self.member_l3.id)
        self.assertTrue(result["ok"], result)
        self.assertEqual(len(self._mails("siri@example.com")), 1)
        # even on a superuser
        self.assertTrue(self._as(self.user_manager).send_password_reset(self.user_portal_super.partner_id.id)["ok"])
        result = self._as(self.user_manager).send_password_reset(self.user_manager.partner_id.id)
        self.assertEqual(result["code"], "self")

    def test_bad_ids_are_refused_quietly(self):
        for bad in (0, -1, "x", None, 10**9):
            result = self._as(self.user_portal_super).send_password_reset(bad)
            self.assertFalse(result["ok"])
            self.assertEqual(result["code"], "not_found")

    def test_no_user_refused(self):
        result = self._as(self.user_portal_super).send_password_reset(self.member_l1.id)
        self.assertRefused(result, "no_user", self.member_l1, "send_password_reset")


@tagged("post_install", "-at_install")
class TestRateLimits(LeddSupportCase):
    def test_limit_per_target(self):
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_target", "2")
        per = self.user_portal.partner_id
        sara = self._as(self.user_portal_super)
        self.assertTrue(sara.send_password_reset(per.id)["ok"])
        self.assertTrue(sara.send_password_reset(per.id)["ok"])
        result = sara.send_password_reset(per.id)
        self.assertRefused(result, "rate_limited", per, "send_password_reset")
        self.assertEqual(len(self._mails("per@example.com")), 2)
        # another superuser is held back too: the limit protects the person
        result = self._as(self.user_region_super).send_password_reset(per.id)
        self.assertEqual(result["code"], "rate_limited")
        # another person is not
        self.assertTrue(sara.send_password_reset(self.user_group_super.partner_id.id)["ok"])

    def test_limit_per_actor_and_window(self):
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_actor", "3")
        sara = self._as(self.user_portal_super)
        for partner in (self.member_l1, self.member_g1, self.user_portal.partner_id):
            sara.send_password_reset(partner.id)  # refused or done: both count
        result = sara.change_email(self.user_portal.partner_id.id, "per.new@example.com")
        self.assertRefused(result, "rate_limited", self.user_portal.partner_id, "change_email")
        self.assertEqual(self.user_portal.partner_id.email, "per@example.com")
        # the window slides: an hour later, these rows no longer count
        later = fields.Datetime.now() + timedelta(minutes=61)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.assertTrue(sara.change_email(self.user_portal.partner_id.id, "per.new@example.com")["ok"])

    def test_probing_out_of_scope_counts(self):
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_actor", "2")
        sara = self._as(self.user_portal_super)
        for _attempt in range(2):
            self.assertEqual(sara.send_password_reset(self.member_l3.id)["code"], "not_found")
        self.assertEqual(sara.send_password_reset(self.member_l3.id)["code"], "rate_limited")
        self.assertEqual(self._logs(self.member_l3).filtered("is_summary").code, "rate_limited")
        result = sara.send_password_reset(self.user_portal.partner_id.id)
        self.assertEqual(result["code"], "rate_limited")
        self.assertTrue(result["message"])
        # the summary row of this window stands for this attempt too
        self.assertFalse(self._logs(self.user_portal.partner_id))
        self.assertFalse(self._mails("per@example.com"))

    @contextmanager
    def _at(self, moment):
        """Now is ``moment``, for the window and for the rows written meanwhile."""
        with (
            patch.object(fields.Datetime, "now", return_value=moment),
            patch.object(self.env.cr, "now", return_value=moment),
        ):
            yield

    def test_refusals_of_others_do_not_block_the_person(self):
        """Only attempts by actors who passed the scope check count against the person."""
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_target", "2")
        per = self.user_portal.partner_id
        # Gunn supports the group below Bergen, Stein holds no superuser role, Per is himself
        for actor in (self.user_group_super, self.user_sibling, self.user_portal):
            for _attempt in range(3):
                self.assertFalse(self._as(actor).send_password_reset(per.id)["ok"])
        refused = self._logs(per)
        self.assertEqual(len(refused), 9)
        # Sara may still help Per twice, as if nobody had tried
        sara = self._as(self.user_portal_super)
        self.assertTrue(sara.send_password_reset(per.id)["ok"])
        self.assertTrue(sara.send_password_reset(per.id)["ok"])
        self.assertRefused(sara.send_password_reset(per.id), "rate_limited", per, "send_password_reset")
        self.assertEqual(len(self._mails("per@example.com")), 2)
        self.assertFalse(refused.filtered("counts_for_target"))
        self.assertEqual(len(self._logs(per).filtered("counts_for_target")), 2)

    def test_rate_limited_actor_leaves_one_row_per_window(self):
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_actor", "2")
        sara = self._as(self.user_portal_super)
        sara_rows = self.Log.sudo().search_count
        actor_domain = [("actor_id", "=", self.user_portal_super.id)]
        start = fields.Datetime.now()
        with self._at(start):
            for _attempt in range(7):
                sara.send_password_reset(self.member_l3.id)
            self.assertEqual(sara_rows(actor_domain), 3)
            summary = self.Log.sudo().search(actor_domain + [("code", "=", "rate_limited")])
            self.assertEqual(len(summary), 1)
            self.assertTrue(summary.is_summary)
            self.assertEqual(summary.outcome, "refused")
        with self._at(start + timedelta(minutes=30)):
            result = sara.send_password_reset(self.user_portal.partner_id.id)
            self.assertEqual(result["code"], "rate_limited")
            self.assertEqual(sara_rows(actor_domain), 3)
        # an hour later the window has slid past every row: a new window, a new summary
        with self._at(start + timedelta(minutes=61)):
            for _attempt in range(5):
                sara.send_password_reset(self.member_l3.id)
            self.assertEqual(sara_rows(actor_domain), 6)
            self.assertEqual(sara_rows(actor_domain + [("is_summary", "=", True)]), 2)

    def test_refusals_by_the_target_limit_count_for_the_actor(self):
        """A superuser who keeps trying on a person held back by the person's limit
        is held back too, and then leaves one summary row."""
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_target", "1")
        self.env["ir.config_parameter"].set_param("ledd_support.rate_limit_per_actor", "3")
        per = self.user_portal.partner_id
        sara = self._as(self.user_portal_super)
        self.assertTrue(sara.send_password_reset(per.id)["ok"])
        for _attempt in range(6):
            self.assertEqual(sara.send_password_reset(per.id)["code"], "rate_limited")
        rows = self._logs(per)
        self.assertEqual(len(rows), 4)
        self.assertEqual(len(rows.filtered("is_summary")), 1)


@tagged("post_install", "-at_install")
class TestGrantPortalAccess(LeddSupportCase):
    def test_invite_a_contact_without_account(self):
        mia = self.member_l1
        result = self._as(self.user_portal_super).grant_portal_access(mia.id)
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["code"], "invited")
        user = mia.user_ids
        self.assertEqual(user.login, "mia@example.com")
        self.assertTrue(user._is_portal())
        self.assertEqual(user.sudo().ledd_link_kind, "invitation")
        mail = self._mails("mia@example.com")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("/web/signup?", mail.body_html)
        # never logged in: inviting again sends a fresh link
        result = self._as(self.user_portal_super).grant_portal_access(mia.id)
        self.assertEqual(result["code"], "invitation_resent")
        self.assertEqual(len(self._mails("mia@example.com")), 2)
        self.assertEqual(len(mia.user_ids), 1)

    def test_invite_refusals(self):
        sara = self._as(self.user_portal_super)
        result = sara.grant_portal_access(self.member_l3.id)
        self.assertRefused(result, "not_found", self.member_l3, "grant_portal_access")
        self.assertFalse(self.member_l3.user_ids)
        self.member_g1.email = False
        result = sara.grant_portal_access(self.member_g1.id)
        self.assertRefused(result, "no_email", self.member_g1, "grant_portal_access")
        self.assertFalse(self.member_g1.user_ids)
        self.member_g1.email = "per@example.com"
        result = sara.grant_portal_access(self.member_g1.id)
        self.assertRefused(result, "email_in_use", self.member_g1, "grant_portal_access")
        self.assertFalse(self.member_g1.user_ids)
        self._fake_login(self.user_portal)
        result = sara.grant_portal_access(self.user_portal.partner_id.id)
        self.assertRefused(result, "has_access", self.user_portal.partner_id, "grant_portal_access")


@tagged("post_install", "-at_install")
class TestChangeEmail(LeddSupportCase):
    def test_change_email_and_login(self):
        per = self.user_portal
        result = self._as(self.user_portal_super).change_email(per.partner_id.id, " Per.Ny@Example.com ", "New job")
        self.assertTrue(result["ok"], result)
        self.assertEqual(per.partner_id.email, "per.ny@example.com")
        self.assertEqual(per.login, "per.ny@example.com")
        # both the old and the new address are told
        self.assertEqual(len(self._mails("per@example.com")), 1)
        self.assertEqual(len(self._mails("per.ny@example.com")), 1)
        self.assertEqual(self._logs(per.partner_id).outcome, "done")

    def test_login_kept_when_it_was_not_the_email(self):
        per = self.user_portal
        per.login = "per-login"
        self.assertTrue(self._as(self.user_portal_super).change_email(per.partner_id.id, "per.ny@example.com")["ok"])
        self.assertEqual(per.partner_id.email, "per.ny@example.com")
        self.assertEqual(per.login, "per-login")

    def test_change_email_refusals(self):
        per = self.user_portal.partner_id
        sara = self._as(self.user_portal_super)
        result = sara.change_email(per.id, "not an email")
        self.assertRefused(result, "invalid_email", per, "change_email")
        result = sara.change_email(per.id, "sara@example.com")
        self.assertRefused(result, "email_in_use", per, "change_email")
        result = sara.change_email(per.id, "per@example.com")
        self.assertRefused(result, "same_email", per, "change_email")
        result = sara.change_email(self.member_l3.id, "siri.ny@example.com")
        self.assertRefused(result, "not_found", self.member_l3, "change_email")
        result = sara.change_email(self.user_peer_super.partner_id.id, "peder.ny@example.com")
        self.assertRefused(result, "higher_role", self.user_peer_super.partner_id, "change_email")
        self.assertEqual(per.email, "per@example.com")
        self.assertEqual(self.member_l3.email, "siri@example.com")
        self.assertEqual(self.user_peer_super.login, "t_peer_super")
        self.assertFalse(self._mails("siri.ny@example.com") | self._mails("peder.ny@example.com"))

    @mute_logger("odoo.addons.ledd_support.models.ledd_support_service")
    def test_failure_rolls_back_the_action_but_keeps_the_log(self):
        per = self.user_portal
        mail_class = type(self.env["ledd.support.mail"])
        with patch.object(mail_class, "_ledd_queue_mail", side_effect=RuntimeError("no template")):
            result = self._as(self.user_portal_super).change_email(per.partner_id.id, "per.ny@example.com")
        self.assertFalse(result["ok"])
        self.assertEqual(result["code"], "failed")
        self.assertEqual(per.partner_id.email, "per@example.com")
        self.assertEqual(per.login, "per@example.com")
        log = self._logs(per.partner_id)
        self.assertEqual(log.outcome, "failed")


@tagged("post_install", "-at_install")
class TestReactivateUser(LeddSupportCase):
    def test_reactivate(self):
        per = self.user_portal
        per.active = False
        result = self._as(self.user_portal_super).reactivate_user(per.partner_id.id, "Left and came back")
        self.assertTrue(result["ok"], result)
        self.assertTrue(per.active)

    def test_reactivate_refusals(self):
        per = self.user_portal
        sara = self._as(self.user_portal_super)
        result = sara.reactivate_user(per.partner_id.id)
        self.assertRefused(result, "not_archived", per.partner_id, "reactivate_user")
        result = sara.reactivate_user(self.member_l1.id)
        self.assertRefused(result, "no_user", self.member_l1, "reactivate_user")
        self.user_local.active = False
        result = sara.reactivate_user(self.user_local.partner_id.id)
        self.assertRefused(result, "internal_user", self.user_local.partner_id, "reactivate_user")
        self.assertFalse(self.user_local.active)
        self.user_peer_super.active = False
        result = sara.reactivate_user(self.user_peer_super.partner_id.id)
        self.assertRefused(result, "higher_role", self.user_peer_super.partner_id, "reactivate_user")
        self.assertFalse(self.user_peer_super.active)


@tagged("post_install", "-at_install")
class TestResetTwoFactor(LeddSupportCase):
    def _enable_totp(self, user):
        user.sudo().totp_secret = TOTP_SECRET
        self.assertTrue(user.totp_enabled)

    def test_reset_two_factor(self):
        per = self.user_portal
        self._enable_totp(per)
        result = self._as(self.user_portal_super).reset_two_factor(per.partner_id.id, "Lost the phone")
        self.assertTrue(result["ok"], result)
        per.invalidate_recordset()
        self.assertFalse(per.totp_enabled)
        mail = self._mails("per@example.com")
        self.assertEqual(len(mail), 1)
        self.assertIn("Lost the phone", mail.body_html)
        self.assertEqual(self._logs(per.partner_id).reason, "Lost the phone")

    def test_reset_two_factor_refusals(self):
        per = self.user_portal
        sara = self._as(self.user_portal_super)
        self._enable_totp(per)
        result = sara.reset_two_factor(per.partner_id.id, "")
        self.assertRefused(result, "reason_required", per.partner_id, "reset_two_factor")
        self.assertTrue(per.totp_enabled)
        self._enable_totp(self.user_peer_super)
        result = sara.reset_two_factor(self.user_peer_super.partner_id.id, "Lost the phone")
        self.assertRefused(result, "higher_role", self.user_peer_super.partner_id, "reset_two_factor")
        self.user_peer_super.invalidate_recordset()
        self.assertTrue(self.user_peer_super.totp_enabled)
        result = sara.reset_two_factor(self.user_group_super.partner_id.id, "Lost the phone")
        self.assertRefused(result, "two_factor_off", self.user_group_super.partner_id, "reset_two_factor")
        self.assertFalse(self._mails("per@example.com") | self._mails("peder@example.com"))
