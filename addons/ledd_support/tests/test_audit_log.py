import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import SQL, mute_logger

from ..hooks import uninstall_hook
from .test_service import LeddSupportCase


class RollBack(Exception):
    """Undo what a block did to the database."""


@tagged("post_install", "-at_install")
class TestAuditLog(LeddSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        service = cls.service.with_user(cls.user_portal_super)
        service.send_password_reset(cls.user_portal.partner_id.id, "Forgot it")
        service.send_password_reset(cls.member_l3.id)
        cls.service.with_user(cls.user_sibling).send_password_reset(cls.member_l3.id)
        cls.rows = cls.Log.sudo().search(
            [("target_partner_id", "in", (cls.user_portal.partner_id | cls.member_l3).ids)]
        )

    def test_rows_were_written(self):
        self.assertEqual(len(self.rows), 3)
        self.assertEqual(sorted(self.rows.mapped("outcome")), ["done", "refused", "refused"])

    def test_nobody_writes_or_deletes_in_the_orm(self):
        admin = self.env.ref("base.user_admin")
        for log in (self.rows.sudo(), self.rows.with_user(admin), self.rows.with_user(self.user_manager)):
            with self.assertRaises(AccessError):
                log.write({"reason": "changed"})
            with self.assertRaises(AccessError):
                log.unlink()
        with self.assertRaises(AccessError):
            self.Log.with_user(self.user_manager).create({"action": "change_email", "outcome": "done"})
        with self.assertRaises(AccessError):
            self.Log.with_user(self.user_portal_super).create({"action": "change_email", "outcome": "done"})
        self.assertEqual(len(self.rows.exists()), 3)
        self.assertNotIn("changed", self.rows.mapped("reason"))

    def test_database_refuses_update_and_delete(self):
        for query in (
            SQL("UPDATE ledd_support_log SET reason = 'changed' WHERE id IN %s", tuple(self.rows.ids)),
            SQL("UPDATE ledd_support_log SET actor_id = %s WHERE id IN %s", self.user_manager.id, tuple(self.rows.ids)),
            SQL("DELETE FROM ledd_support_log WHERE id IN %s", tuple(self.rows.ids)),
            SQL("TRUNCATE ledd_support_log"),
        ):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)
        self.env.cr.execute(SQL("SELECT count(*) FROM ledd_support_log WHERE id IN %s", tuple(self.rows.ids)))
        self.assertEqual(self.env.cr.fetchone()[0], 3)

    def test_rows_outlive_the_people(self):
        partner = self.env["res.partner"].create({"name": "Kortvarig", "ledd_unit_id": self.unit_l1.id})
        self.service.with_user(self.user_portal_super).send_password_reset(partner.id)
        row = self._logs(partner)
        self.assertEqual(row.target_name, "Kortvarig")
        partner.unlink()
        row.invalidate_recordset()
        self.assertFalse(row.target_partner_id)
        self.assertEqual(row.target_name, "Kortvarig")

    def test_who_sees_which_rows(self):
        own = self.rows.filtered(lambda row: row.actor_id == self.user_portal_super)
        sibling_row = self.rows - own
        self.assertEqual(self.Log.with_user(self.user_manager).search([("id", "in", self.rows.ids)]), self.rows)
        # Sara sees her rows (one about a person outside her scope) but not the sibling's
        self.assertEqual(self.Log.with_user(self.user_portal_super).search([("id", "in", self.rows.ids)]), own)
        # the region superuser sees the rows about people of the region
        seen = self.Log.with_user(self.user_region_super).search([("id", "in", self.rows.ids)])
        self.assertEqual(seen, own.filtered(lambda row: row.target_unit_id == self.unit_l1))
        # the leader of another branch, without a superuser role: his own row, and
        # Sara's attempt on a member of his branch
        self.assertEqual(
            self.Log.with_user(self.user_sibling).search([("id", "in", self.rows.ids)]),
            sibling_row | own.filtered(lambda row: row.target_unit_id == self.unit_l3),
        )
        # a local user without a superuser or leader role: no row
        self.assertFalse(self.Log.with_user(self.user_local).search([("id", "in", self.rows.ids)]))
        with self.assertRaises(AccessError):
            own.with_user(self.user_local).read(["reason"])

    def test_uninstall_lifts_the_protection(self):
        """Uninstalling drops the trigger with the table: the rows may go then."""
        ids = tuple(self.rows.ids)
        with self.assertRaises(RollBack), self.env.cr.savepoint():
            uninstall_hook(self.env)
            self.env.cr.execute(SQL("DELETE FROM ledd_support_log WHERE id IN %s", ids))
            self.assertEqual(self.env.cr.rowcount, 3)
            raise RollBack()
        # rolled back: protected again
        with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(SQL("DELETE FROM ledd_support_log WHERE id IN %s", ids))


@tagged("post_install", "-at_install")
class TestAuditLogVisibility(LeddSupportCase):
    """Who reads which rows: the people strictly below one's support or leader
    roots (as the anti-escalation rule counts), one's own actions, and client
    addresses for staff only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal_leader = new_test_user(
            cls.env, login="t_portal_leader", name="Lars Leder", groups="base.group_portal"
        )
        cls.user_portal_leader.partner_id.write({"ledd_unit_id": cls.unit_l1.id, "email": "lars@example.com"})
        cls.env["ledd.role"].create(
            {
                "partner_id": cls.user_portal_leader.partner_id.id,
                "unit_id": cls.unit_l1.id,
                "role_type_id": cls.rt_leader.id,
            }
        )
        rita = cls.service.with_user(cls.user_region_super)
        sara = cls.service.with_user(cls.user_portal_super)
        rita.send_password_reset(cls.user_portal_super.partner_id.id)
        cls.row_rita_sara = cls._last_row()
        rita.send_password_reset(cls.user_peer_super.partner_id.id)
        cls.row_rita_peder = cls._last_row()
        sara.send_password_reset(cls.user_portal.partner_id.id)
        cls.row_sara_per = cls._last_row()
        sara.send_password_reset(cls.user_group_super.partner_id.id)
        cls.row_sara_gunn = cls._last_row()
        sara.send_password_reset(cls.member_l3.id)  # refused: outside her scope
        cls.row_sara_siri = cls._last_row()
        cls.rows = cls.row_rita_sara | cls.row_rita_peder | cls.row_sara_per | cls.row_sara_gunn | cls.row_sara_siri
        assert len(cls.rows) == 5

    @classmethod
    def _last_row(cls):
        return cls.env["ledd.support.log"].sudo().search([], order="id desc", limit=1)

    def _seen(self, user):
        return self.Log.with_user(user).search([("id", "in", self.rows.ids)])

    def test_rows_seen_by_each_persona(self):
        below_l1 = self.row_sara_per | self.row_sara_gunn
        expected = {
            # her own actions, and nothing about herself or her peer
            self.user_portal_super: below_l1 | self.row_sara_siri,
            self.user_peer_super: below_l1,
            # a leader without superuser role: the people strictly below
            self.user_portal_leader: below_l1,
            self.user_region_super: below_l1 | self.row_rita_sara | self.row_rita_peder,
            self.user_region: below_l1 | self.row_rita_sara | self.row_rita_peder,
            # the leader of Stavanger sees the attempt on his member
            self.user_sibling: self.row_sara_siri,
            self.user_local: self.Log,
            self.user_portal: self.Log,
            self.user_manager: self.rows,
        }
        for user, rows in expected.items():
            self.assertEqual(self._seen(user), rows, user.name)
            hidden = self.rows - rows
            if hidden:
                with self.assertRaises(AccessError, msg=user.name):
                    hidden.with_user(user).read(["action"])

    def test_portal_users_never_read_client_addresses(self):
        for user in (self.user_portal_super, self.user_region_super, self.user_portal_leader):
            rows = self.Log.with_user(user).search([("id", "in", self.rows.ids)])
            self.assertTrue(rows, user.name)
            with self.assertRaises(AccessError, msg=user.name):
                rows.read(["remote_addr"])
            with self.assertRaises(AccessError, msg=user.name):
                self.Log.with_user(user).search_read([], ["remote_addr"])
            with self.assertRaises(AccessError, msg=user.name):
                self.Log.with_user(user).search([("remote_addr", "!=", False)])
            self.assertNotIn("remote_addr", rows.read()[0])
        # staff read them
        rows = self.Log.with_user(self.user_region).search([("id", "in", self.rows.ids)])
        self.assertIn("remote_addr", rows.read(["remote_addr"])[0])
