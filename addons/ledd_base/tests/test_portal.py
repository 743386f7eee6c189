from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import LeddOrganisationMixin


@tagged("post_install", "-at_install")
class TestPortalOrganisation(LeddOrganisationMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()

    def test_my_organisation_shows_units_roles_and_help(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/organisation")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nasjonalt / Vestland / Bergen", response.text)
        self.assertIn("Superuser", response.text)
        self.assertIn("/my/organisation/members", response.text)

    def test_help_contacts_for_a_member(self):
        self.authenticate("t_portal", "t_portal")
        response = self.url_open("/my/organisation")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Sara Superbruker", response.text)
        self.assertIn("sara@example.com", response.text)
        self.assertNotIn("Roar Region", response.text)
        self.assertNotIn("/my/organisation/members", response.text)
        # Voss has no helpers of its own: the region leader is shown
        self.user_portal.partner_id.ledd_unit_id = self.unit_l2
        response = self.url_open("/my/organisation")
        self.assertIn("Roar Region", response.text)
        self.assertNotIn("Sara Superbruker", response.text)

    def test_portal_home_links_to_my_organisation(self):
        self.authenticate("t_portal", "t_portal")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="/my/organisation"', response.text)

    def test_member_list_shows_only_the_scope(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/organisation/members")
        self.assertEqual(response.status_code, 200)
        for name in ("Mia Bergen", "Gro Gruppe", "Per Portal"):
            self.assertIn(name, response.text)
        for name in ("Siri Stavanger", "Vidar Voss", "Rune Region", "Uten Ledd"):
            self.assertNotIn(name, response.text)
        response = self.url_open("/my/organisation/members?search=gro")
        self.assertIn("Gro Gruppe", response.text)
        self.assertNotIn("Mia Bergen", response.text)

    def test_out_of_scope_member_answers_404(self):
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l1.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l3.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.user_manager.partner_id.id}").status_code, 404)

    def test_member_without_scope_gets_404(self):
        self.authenticate("t_portal", "t_portal")
        self.assertEqual(self.url_open("/my/organisation/members").status_code, 404)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l1.id}").status_code, 404)
        # their own contact, which they may read, has no member page either
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.user_portal.partner_id.id}").status_code, 404)

    def test_member_list_is_the_members_of_my_units(self):
        """Odoo's own portal rule lets a person read their company's contacts: the
        member list still shows the members of their units only, and a member of
        theirs opens whatever their company."""
        company = self.env["res.partner"].create({"name": "T Bergen Bygg AS", "is_company": True})
        colleague = self.env["res.partner"].create(
            {"name": "Kari Kollega", "parent_id": company.id, "ledd_unit_id": self.unit_l3.id}
        )
        self.user_portal_super.partner_id.parent_id = company
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/organisation/members")
        self.assertIn("Mia Bergen", response.text)
        self.assertNotIn("Kari Kollega", response.text)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_g1.id}").status_code, 200)
        # she may read her colleague and the company (Odoo's rule), but they have no member page
        self.assertTrue(colleague.with_user(self.user_portal_super).read(["name"]))
        self.assertEqual(self.url_open(f"/my/organisation/members/{colleague.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/organisation/members/{company.id}").status_code, 404)

    def test_role_end_removes_portal_access_at_once(self):
        self.role_portal_super.with_user(self.user_manager).action_end_today()
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertEqual(self.url_open("/my/organisation/members").status_code, 404)

    def test_role_ended_by_date_ends_on_the_portal_that_day(self):
        today = fields.Date.today()
        self.role_portal_super.date_end = today + timedelta(days=1)
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/organisation")
        self.assertIn('href="/my/organisation/members"', response.text)
        self.assertIn("text-bg-success", response.text)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l1.id}").status_code, 200)
        with freeze_time(today + timedelta(days=1)):
            # the next day, before the nightly cron: the role shows as ended and gives nothing
            self.authenticate("t_portal_super", "t_portal_super")
            response = self.url_open("/my/organisation")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn('href="/my/organisation/members"', response.text)
            self.assertNotIn("text-bg-success", response.text)
            self.assertIn("Ended", response.text)
            self.assertEqual(self.url_open("/my/organisation/members").status_code, 404)
            self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l1.id}").status_code, 404)
