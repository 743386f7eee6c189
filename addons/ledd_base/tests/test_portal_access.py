import logging
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL, mute_logger

from .common import LeddCase, LeddOrganisationMixin

_logger = logging.getLogger(__name__)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class TestPortalReadsMembersByRule(LeddCase):
    """Portal users who hold a role that sees members read the members of their
    units through the record rule, whatever way they ask, and nothing more."""

    def _portal_members(self, user):
        return self.env["res.partner"].with_user(user).search([("id", "in", self.test_members.ids)])

    def test_role_holder_reads_the_members_of_their_units(self):
        own = self.user_portal_super.partner_id
        in_scope = self.member_l1 | self.member_g1 | self.user_portal.partner_id | own
        self.assertEqual(self._portal_members(self.user_portal_super), in_scope)
        self.assertEqual(
            self.member_g1.with_user(self.user_portal_super).read(["name"]),
            [{"id": self.member_g1.id, "name": "Gro Gruppe"}],
        )
        for outside in (self.member_l2, self.member_l3, self.member_r1, self.member_nounit):
            with self.subTest(outside=outside.name), self.assertRaises(AccessError):
                outside.with_user(self.user_portal_super).read(["name"])
        # staff, companies and units' contacts of Bergen are no members: not theirs to read
        with self.assertRaises(AccessError):
            self.user_local.partner_id.with_user(self.user_portal_super).read(["name"])
        with self.assertRaises(AccessError):
            self.unit_l1.partner_id.with_user(self.user_portal_super).read(["name"])

    def test_portal_user_without_role_reads_their_own_contact_only(self):
        self.assertEqual(self._portal_members(self.user_portal), self.user_portal.partner_id)
        with self.assertRaises(AccessError):
            self.member_l1.with_user(self.user_portal).read(["name"])

    def test_odoo_portal_rule_still_gives_ones_company_and_its_contacts(self):
        company = self.env["res.partner"].create({"name": "T Bergen Bygg AS", "is_company": True})
        colleague = self.env["res.partner"].create({"name": "T Kollega", "parent_id": company.id})
        self.user_portal.partner_id.parent_id = company
        partners = self.env["res.partner"].with_user(self.user_portal)
        self.assertEqual(
            partners.search([("id", "in", (company | colleague | self.member_l1).ids)]), company | colleague
        )
        # theirs whole, as Odoo gives them: not limited to the shared fields
        self.assertEqual(colleague.with_user(self.user_portal).read(["comment"])[0]["comment"], False)

    def test_the_rule_follows_the_role_dates(self):
        today = fields.Date.today()
        self.role_portal_super.date_end = today + timedelta(days=1)
        self.assertIn(self.member_l1, self._portal_members(self.user_portal_super))
        self.env.invalidate_all()
        with freeze_time(today + timedelta(days=1)):
            self.assertEqual(self._portal_members(self.user_portal_super), self.user_portal_super.partner_id)
            with self.assertRaises(AccessError):
                self.member_l1.with_user(self.user_portal_super).read(["name"])


class TestPortalReadsSharedFieldsOnly(LeddCase):
    """Of the members they may read, portal users get the shared fields only: name,
    contact details, unit and avatar; not the notes, tax id, reference or tags,
    whether they read, search, group or export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_l1.write({"vat": "NO999888777", "comment": "<p>T Private note</p>", "phone": "+47 5555 1234"})
        cls.user_portal_super.partner_id.write({"vat": "NO111222333", "comment": "<p>T My note</p>"})

    def setUp(self):
        super().setUp()
        self.partners = self.env["res.partner"].with_user(self.user_portal_super)
        self.member = self.member_l1.with_user(self.user_portal_super)

    def test_shared_fields_are_read(self):
        values = self.member.read(["name", "email", "phone", "ledd_unit_id", "display_name", "avatar_128"])[0]
        self.assertEqual(values["name"], "Mia Bergen")
        self.assertEqual(values["email"], "mia@example.com")
        self.assertEqual(values["phone"], "+47 5555 1234")
        self.assertEqual(values["ledd_unit_id"][0], self.unit_l1.id)
        self.assertEqual(values["display_name"], "Mia Bergen")
        self.assertTrue(values["avatar_128"])
        # in Python, as the portal pages read them
        self.env.invalidate_all()
        self.assertEqual(self.member.email, "mia@example.com")
        self.assertEqual(self.member.ledd_unit_id, self.unit_l1)
        self.assertTrue(self.member.avatar_128)

    def test_other_fields_are_refused(self):
        for field_name in ("vat", "comment", "ref", "category_id", "bank_ids", "message_ids", "street"):
            with self.subTest(field=field_name):
                with self.assertRaises(AccessError):
                    self.member.read([field_name])
                with self.assertRaises(AccessError):
                    self.partners.search_read([("id", "=", self.member_l1.id)], [field_name])
                with self.assertRaises(AccessError):
                    self.member.web_read({field_name: {}})
                self.env.invalidate_all()
                with self.assertRaises(AccessError):
                    self.member.mapped(field_name)
        # a refusal whoever else is read along
        with self.assertRaises(AccessError):
            (self.member | self.user_portal_super.partner_id).with_user(self.user_portal_super).read(["vat"])

    def test_reading_all_fields_gives_the_shared_ones(self):
        values = self.member.read()[0]
        self.assertEqual(values["name"], "Mia Bergen")
        self.assertNotIn("vat", values)
        self.assertNotIn("comment", values)
        self.assertLessEqual(set(values), self.env["res.partner"]._ledd_shared_fields())

    def test_other_fields_are_no_search_or_grouping_criteria(self):
        with self.assertRaises(AccessError):
            self.partners.search([("vat", "=", "NO999888777")])
        with self.assertRaises(AccessError):
            self.partners.search_count([("comment", "ilike", "Private")])
        with self.assertRaises(AccessError):
            self.partners.read_group([], ["__count"], ["vat"])
        with self.assertRaises(AccessError):
            self.partners.search([], order="vat")
        # by the shared fields, and by name: found
        self.assertEqual(self.partners.search([("phone", "=", "+47 5555 1234")]), self.member_l1)
        self.assertEqual([row[0] for row in self.partners.name_search("Mia Bergen")], [self.member_l1.id])
        # the name search does not look at the tax id for them
        self.assertFalse(self.partners.name_search("NO999888777"))

    def test_through_the_users_of_members_too(self):
        """A member with a login: their user's inherited fields are their contact's."""
        user = self.env["res.users"].create(
            {"login": "t_mia", "partner_id": self.member_l1.id, "groups_id": [(6, 0, [self.ref("base.group_portal")])]}
        )
        as_portal = user.with_user(self.user_portal_super)
        self.assertEqual(as_portal.read(["name"])[0]["name"], "Mia Bergen")
        with self.assertRaises(AccessError):
            as_portal.read(["vat"])
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.user_portal_super).search([("comment", "ilike", "Private")])

    def test_own_contact_is_read_whole(self):
        own = self.user_portal_super.partner_id.with_user(self.user_portal_super)
        values = own.read(["vat", "comment", "ref", "category_id"])[0]
        self.assertEqual(values["vat"], "NO111222333")
        self.assertEqual(values["comment"], "<p>T My note</p>")
        self.assertEqual(own.search_read([("vat", "=", "NO111222333")], ["vat"])[0]["id"], own.id)
        self.env.invalidate_all()
        self.assertEqual(own.vat, "NO111222333")

    def test_staff_read_every_field_of_their_members(self):
        self.assertEqual(self.member_l1.with_user(self.user_local).read(["vat"])[0]["vat"], "NO999888777")
        self.assertEqual(
            self.env["res.partner"].with_user(self.user_local).search([("vat", "=", "NO999888777")]), self.member_l1
        )

    def test_messages_of_members_stay_theirs(self):
        """The rule lets a role holder read a member's contact, not the mails sent
        to them from its chatter."""
        message = self.member_l1.message_post(
            body="T Your membership", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        own_message = self.user_portal_super.partner_id.message_post(
            body="T Yours", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        messages = self.env["mail.message"].with_user(self.user_portal_super)
        on_partners = [("model", "=", "res.partner"), ("id", "in", (message | own_message).ids)]
        self.assertEqual(messages.search(on_partners), own_message)
        with self.assertRaises(AccessError):
            message.with_user(self.user_portal_super).read(["body"])
        self.assertFalse(self.partners._get_thread_with_access(self.member_l1.id))
        self.assertEqual(
            self.partners._get_thread_with_access(self.user_portal_super.partner_id.id),
            self.user_portal_super.partner_id,
        )
        # staff of the unit read them
        self.assertTrue(message.with_user(self.user_local).read(["body"]))


class TestPortalMemberSearchPlan(LeddCase):
    """The portal rule is SQL in every contact query a portal user makes: with
    many members elsewhere, a role holder's queries find theirs by the index on
    the home unit, not by reading every contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"].create(
            [{"name": f"T Stavanger {number}", "ledd_unit_id": cls.unit_l3.id} for number in range(2000)]
        )
        cls.env.flush_all()
        # The plans are read on a copy of the contacts, in a temporary table of the
        # same name (PostgreSQL looks there first), with the same indexes. Those of
        # the real table were built at install while other transactions on the
        # server may still have seen older rows: PostgreSQL then keeps them from
        # transactions as old as this one (pg_index.indcheckxmin), and the plan
        # would depend on what else runs on the server.
        cr = cls.env.cr
        cr.execute("CREATE TEMPORARY TABLE res_partner (LIKE public.res_partner INCLUDING ALL) ON COMMIT DROP")
        cr.execute("INSERT INTO pg_temp.res_partner SELECT * FROM public.res_partner")
        cr.execute("ANALYZE pg_temp.res_partner")
        cr.execute("ANALYZE ledd_unit")
        [(cls.home_unit_index,)] = cls.env.execute_query(
            SQL(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner' AND indexdef LIKE %s"
                " AND schemaname = (SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())",
                "%(ledd_unit_id)",
            )
        )

    def _plan(self, domain):
        query = self.env["res.partner"].with_user(self.user_portal_super)._search(domain)
        return "\n".join(row[0] for row in self.env.execute_query(SQL("EXPLAIN %s", query.select())))

    def test_portal_queries_use_the_home_unit_index(self):
        scope = self.user_portal_super.ledd_scope_unit_ids
        plans = {
            "any contact query (the rules alone)": self._plan([]),
            "the member list": self._plan([("ledd_is_member", "=", True), ("ledd_unit_id", "child_of", scope.ids)]),
        }
        for name, plan in plans.items():
            _logger.info("Plan of a portal role holder's query, %s:\n%s", name, plan)
            with self.subTest(query=name):
                self.assertIn(self.home_unit_index, plan)
                self.assertNotIn("Seq Scan on res_partner", plan)


@tagged("post_install", "-at_install")
class TestPortalReadsOverJsonRpc(LeddOrganisationMixin, HttpCase):
    """What a portal role holder's browser may ask Odoo's JSON-RPC for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
        cls.member_l1.vat = "NO999888777"

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_member_fields_over_json_rpc(self):
        self.authenticate("t_portal_super", "t_portal_super")
        rows = self._call_kw("res.partner", "read", [[self.member_l1.id], ["name", "email"]])
        self.assertEqual(rows[0]["email"], "mia@example.com")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as refusal:
            self._call_kw("res.partner", "read", [[self.member_l1.id], ["vat"]])
        self.assertEqual(refusal.exception.args[0], "odoo.exceptions.AccessError")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._call_kw("res.partner", "read", [[self.member_l3.id], ["name"]])
        found = self._call_kw("res.partner", "search_read", [[("id", "=", self.member_l3.id)], ["name"]])
        self.assertEqual(found, [])

    def test_my_account_reads_and_writes_ones_own_contact(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/account")
        self.assertEqual(response.status_code, 200)
        self.assertIn("sara@example.com", response.text)
        country = self.env.ref("base.no")
        response = self.url_open(
            "/my/account",
            data={
                "csrf_token": CSRF.search(response.text).group(1),
                "name": "Sara Superbruker",
                "email": "sara@example.com",
                "phone": "+47 4000 0000",
                "street": "Torget 1",
                "city": "Bergen",
                "zipcode": "5014",
                "country_id": country.id,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.user_portal_super.partner_id.street, "Torget 1")
