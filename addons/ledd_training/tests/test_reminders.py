from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase

from .common import LeddTrainingMixin


@freeze_time("2026-03-02")
class TestReminders(LeddTrainingMixin, TransactionCase):
    """The daily cron: right mails, once, at most one per person per period,
    and a clean restart after an interruption."""

    @classmethod
    def setUpClass(cls):
        with freeze_time("2026-03-02"):
            super().setUpClass()
            cls._create_ledd_training()
            Role = cls.env["ledd.role"]
            for partner, unit in (
                (cls.member_g1, cls.unit_g1),
                (cls.member_l2, cls.unit_l2),
                (cls.member_l3, cls.unit_l3),
                (cls.member_r1, cls.unit_r1),
            ):
                Role.create({"partner_id": partner.id, "unit_id": unit.id, "role_type_id": cls.rt_volunteer.id})
        cls.people = cls.member_l1 | cls.member_g1 | cls.member_l2 | cls.member_l3 | cls.member_r1
        cls.leaders = cls.user_region.partner_id | cls.user_sibling.partner_id
        cls.Assignment = cls.env["ledd.training.assignment"]

    def _mails(self, partners=None):
        partners = partners or self.people
        return self.env["mail.mail"].search(
            [("model", "=", "ledd.training.assignment"), ("recipient_ids", "in", partners.ids)], order="id"
        )

    def _digests(self):
        return self.env["mail.mail"].search(
            [("model", "=", "ledd.role"), ("recipient_ids", "in", self.leaders.ids)], order="id"
        )

    def test_nothing_before_due_soon(self):
        self.Assignment._cron_daily()
        self.assertFalse(self._mails())

    def test_due_soon_then_overdue_once_per_period(self):
        with freeze_time("2026-03-20"):  # course due 2026-04-01: due soon
            self.Assignment._cron_daily()
            mails = self._mails()
            self.assertEqual(len(mails), 5)
            mail = self._mails(self.member_l1)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.subject, "Training due soon: T Child Safety")
            self.assertIn("T Child Safety", mail.body_html)
            self.assertIn("/slides/", mail.body_html)
            self.assertEqual(mail.recipient_ids, self.member_l1)
            course = self._assignments(self.member_l1, self.req_course)
            self.assertEqual(str(course.last_reminder_date), "2026-03-20")
            # Same day again: nothing new.
            self.Assignment._cron_daily()
            self.assertEqual(self._mails(), mails)
        with freeze_time("2026-03-26"):  # within the 7-day period
            self.Assignment._cron_daily()
            self.assertEqual(self._mails(), mails)
        with freeze_time("2026-04-02"):  # overdue, period over
            self.Assignment._cron_daily()
            overdue = self._mails(self.member_l1) - mails
            self.assertEqual(len(overdue), 1)
            self.assertEqual(overdue.subject, "Training overdue: T Child Safety")
            self.assertEqual(len(self._mails() - mails), 5)

    def test_period_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("ledd_training.reminder_period_days", "30")
        with freeze_time("2026-03-20"):
            self.Assignment._cron_daily()
        with freeze_time("2026-04-10"):
            self.Assignment._cron_daily()
        self.assertEqual(len(self._mails(self.member_l1)), 1)
        with freeze_time("2026-04-19"):
            self.Assignment._cron_daily()
        self.assertEqual(len(self._mails(self.member_l1)), 2)

    def test_expiring_reminder_only_while_the_role_needs_it(self):
        for partner in (self.member_l1, self.member_g1):
            self._complete_course(partner, self.channel)
            self._assignments(partner, self.req_attest)._confirm(date(2026, 3, 1))
        self.env["ledd.role"].search([("partner_id", "=", self.member_g1.id)]).action_end_today()
        with freeze_time("2027-02-20"):  # course valid until 2027-03-02
            self.Assignment._cron_daily()
            mail = self._mails(self.member_l1)
            self.assertEqual(mail.subject, "Training expiring: T Child Safety")
            self.assertFalse(self._mails(self.member_g1))

    def test_interrupted_run_restarts_without_sending_twice(self):
        template_class = type(self.env["mail.template"])
        original = template_class.send_mail_batch
        calls = []

        def fail_on_second_batch(template, res_ids, *args, **kwargs):
            calls.append(res_ids)
            if len(calls) == 2:
                raise ConnectionError("SMTP queue unavailable")
            return original(template, res_ids, *args, **kwargs)

        with freeze_time("2026-03-20"):
            # Not assertRaises: it would roll back the first batch, which a real
            # run has committed by then.
            interrupted = False
            with patch.object(template_class, "send_mail_batch", fail_on_second_batch):
                try:
                    self.env["ledd.training.reminder"]._send_reminders(batch_size=2)
                except ConnectionError:
                    interrupted = True
            self.assertTrue(interrupted)
            first_batch = self._mails()
            self.assertEqual(len(first_batch), 2)
            # The failed batch left no mark: its people are reminded on the restart.
            self.assertEqual(len(self._assignments(self.member_l2).filtered("last_reminder_date")), 0)
            self.env["ledd.training.reminder"]._send_reminders(batch_size=2)
            mails = self._mails()
            self.assertEqual(len(mails), 5)
            self.assertEqual(len(mails.recipient_ids), 5)
            self.assertEqual(mails[:2], first_batch)

    def test_leader_digest_once_per_period(self):
        with freeze_time("2026-04-05"):
            self.Assignment._cron_daily()
            digests = self._digests()
            region = digests.filtered(lambda mail: mail.recipient_ids == self.user_region.partner_id)
            self.assertEqual(region.subject, "Training in Vestland")
            # Vestland's subtree: Bergen, Bergen ungdom, Voss and the region itself, not Stavanger.
            for name in ("Mia Bergen", "Gro Gruppe", "Vidar Voss", "Rune Region"):
                self.assertIn(name, region.body_html)
            self.assertNotIn("Siri Stavanger", region.body_html)
            sibling = digests.filtered(lambda mail: mail.recipient_ids == self.user_sibling.partner_id)
            self.assertIn("Siri Stavanger", sibling.body_html)
            self.assertNotIn("Mia Bergen", sibling.body_html)
            self.Assignment._cron_daily()
            self.assertEqual(self._digests(), digests)
        with freeze_time("2026-04-12"):
            self.Assignment._cron_daily()
            self.assertEqual(len(self._digests()), 2 * len(digests))

    def test_reminder_in_the_persons_language(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["ledd_training"], ["nb_NO"], overwrite=True)
        self.member_l1.lang = "nb_NO"
        with freeze_time("2026-03-20"):
            self.env["ledd.training.reminder"]._send_reminders()
        norwegian = self._mails(self.member_l1)
        self.assertEqual(norwegian.subject, "Opplæring forfaller snart: T Child Safety")
        self.assertIn("Min opplæring", norwegian.body_html)
        english = self._mails(self.member_g1)
        self.assertEqual(english.subject, "Training due soon: T Child Safety")
