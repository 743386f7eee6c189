import re
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2

from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import SQL, config, mute_logger

from .test_service import LeddSupportCase

CHAIN_KEY_OPTION = "ledd_support_log_secret"


@tagged("post_install", "-at_install")
class TestAuditChain(LeddSupportCase):
    """Each row of the audit log is chained to the previous one with a keyed
    hash, so that a row changed or deleted behind Odoo's back is found."""

    def setUp(self):
        super().setUp()
        self.enterContext(patch.dict(config.options, {CHAIN_KEY_OPTION: "a-secret-of-the-server"}))
        sara = self._as(self.user_portal_super)
        sara.send_password_reset(self.user_portal.partner_id.id, "Forgot it")
        sara.grant_portal_access(self.member_l1.id)
        sara.send_password_reset(self.member_l3.id, "Probing")
        sara.change_email(self.member_g1.id, "not an email")
        self.rows = self.Log.sudo().search([], order="id")
        self.assertEqual(len(self.rows), 4)

    @contextmanager
    def _trigger_disabled(self):
        """What the database owner can do: switch the append-only trigger off."""
        self.env.flush_all()
        self.env.cr.execute(SQL("ALTER TABLE ledd_support_log DISABLE TRIGGER ledd_support_log_append_only"))
        try:
            yield
        finally:
            self.env.cr.execute(SQL("ALTER TABLE ledd_support_log ENABLE TRIGGER ledd_support_log_append_only"))
            self.env.invalidate_all()

    def _broken(self):
        return self.Log.sudo()._verify_integrity()

    def test_intact_chain(self):
        self.assertFalse(self._broken())
        hashes = self.rows.mapped("chain_hash")
        self.assertTrue(all(re.fullmatch(r"[0-9a-f]{64}", value) for value in hashes), hashes)
        self.assertEqual(len(set(hashes)), 4)
        # the chain is taken under an advisory lock, held until the transaction ends,
        # so that two workers never chain two rows to the same predecessor
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                " AND classid = %s AND objid = %s",
                *self.Log._ledd_chain_lock_key(),
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)

    def test_changed_row_is_reported(self):
        refused = self.rows[2]
        with self._trigger_disabled():
            self.env.cr.execute(
                SQL("UPDATE ledd_support_log SET outcome = 'done', code = 'reset_sent' WHERE id = %s", refused.id)
            )
        self.assertEqual(self._broken(), refused)

    def test_changed_actor_is_reported(self):
        with self._trigger_disabled():
            self.env.cr.execute(
                SQL("UPDATE ledd_support_log SET actor_id = %s WHERE id = %s", self.user_manager.id, self.rows[0].id)
            )
        self.assertEqual(self._broken(), self.rows[0])

    def test_actor_cleared_while_the_user_lives_is_reported(self):
        with self._trigger_disabled():
            self.env.cr.execute(SQL("UPDATE ledd_support_log SET actor_id = NULL WHERE id = %s", self.rows[1].id))
        self.assertEqual(self._broken(), self.rows[1])

    def test_deleted_row_reports_the_next_one(self):
        with self._trigger_disabled():
            self.env.cr.execute(SQL("DELETE FROM ledd_support_log WHERE id = %s", self.rows[1].id))
        self.assertEqual(self._broken(), self.rows[2])

    def test_deleted_last_row_is_reported(self):
        with self._trigger_disabled():
            self.env.cr.execute(SQL("DELETE FROM ledd_support_log WHERE id = %s", self.rows[3].id))
        self.assertFalse(self._broken())
        codes = [code for code, _message in self.Log.sudo()._ledd_integrity_problems()]
        self.assertEqual(codes, ["missing_tail"])

    def test_clearing_personal_columns_keeps_the_chain(self):
        """Retention and erasure clear names, client address, reason and detail:
        the trigger allows exactly that, and the chain stays intact."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE ledd_support_log
                      SET actor_name = NULL, target_name = NULL, remote_addr = NULL, reason = NULL, detail = NULL
                    WHERE id IN %s""",
                tuple(self.rows.ids),
            )
        )
        self.env.invalidate_all()
        self.assertFalse(self.rows[0].actor_name)
        self.assertFalse(self.rows[0].reason)
        self.assertFalse(self._broken())
        for query in (
            SQL("UPDATE ledd_support_log SET actor_name = 'Someone else' WHERE id = %s", self.rows[0].id),
            SQL("UPDATE ledd_support_log SET reason = NULL, outcome = 'done' WHERE id = %s", self.rows[2].id),
            SQL("UPDATE ledd_support_log SET chain_hash = NULL WHERE id = %s", self.rows[2].id),
            # the user still exists: only a deletion may clear the reference
            SQL("UPDATE ledd_support_log SET actor_id = NULL WHERE id = %s", self.rows[2].id),
            SQL("UPDATE ledd_support_log SET target_partner_id = NULL WHERE id = %s", self.rows[2].id),
        ):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)

    def test_deleted_person_keeps_the_chain(self):
        partner = self.env["res.partner"].create({"name": "Kortvarig", "ledd_unit_id": self.unit_l1.id})
        self._as(self.user_portal_super).send_password_reset(partner.id)
        row = self._logs(partner)
        partner.unlink()
        row.invalidate_recordset()
        self.assertFalse(row.target_partner_id)
        self.assertFalse(self._broken())

    def test_the_chain_is_keyed_with_the_server_secret(self):
        """Whoever holds only the database cannot recompute the chain: with
        another secret every row fails."""
        with patch.dict(config.options, {CHAIN_KEY_OPTION: "another-secret"}):
            self.assertEqual(self._broken(), self.rows)

    def test_cron_tells_the_system_owner(self):
        owner = new_test_user(
            self.env, login="t_system_owner", name="Siv System", groups="base.group_user,ledd_base.group_system_owner"
        )

        def notices():
            return self.env["mail.message"].sudo().search([("partner_ids", "in", owner.partner_id.id)])

        self.Log._cron_verify_integrity()
        self.assertFalse(notices(), "an intact chain with a secret: nothing to tell")
        with self._trigger_disabled():
            self.env.cr.execute(SQL("UPDATE ledd_support_log SET code = 'x' WHERE id = %s", self.rows[0].id))
        with mute_logger("odoo.addons.ledd_support.models.ledd_support_log_chain"):
            self.Log._cron_verify_integrity()
        notice = notices()
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.message_type, "user_notification")
        self.assertIn(str(self.rows[0].id), notice.body)

    def test_without_secret_the_chain_goes_on_and_the_weakness_is_told(self):
        owner = new_test_user(
            self.env, login="t_system_owner", name="Siv System", groups="base.group_user,ledd_base.group_system_owner"
        )
        with patch.dict(config.options, {CHAIN_KEY_OPTION: ""}):
            self._as(self.user_portal_super).send_password_reset(self.user_portal.partner_id.id)
            self.assertTrue(self.Log.sudo().search([], order="id desc", limit=1).chain_hash)
            problems = dict(self.Log.sudo()._ledd_integrity_problems())
            self.assertIn(CHAIN_KEY_OPTION, problems["no_secret"])
            with mute_logger("odoo.addons.ledd_support.models.ledd_support_log_chain"):
                self.Log._cron_verify_integrity()
        notice = self.env["mail.message"].sudo().search([("partner_ids", "in", owner.partner_id.id)])
        self.assertEqual(len(notice), 1)
        self.assertIn(CHAIN_KEY_OPTION, notice.body)
