from odoo.tests import HttpCase, tagged

from .common import LeddMembershipMixin


@tagged("post_install", "-at_install")
class TestPortalMembership(LeddMembershipMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_membership()
        cls.member_g1.free_member = True
        cls.member_l1.write({"membership_state": "paid"})

    def test_member_list_shows_membership_state(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open("/my/organisation/members")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="th_membership"', response.text)
        self.assertIn("Paid Member", response.text)
        self.assertIn("Free Member", response.text)
        self.assertNotIn("Siri Stavanger", response.text)

    def test_member_page_shows_membership_state(self):
        self.authenticate("t_portal_super", "t_portal_super")
        response = self.url_open(f"/my/organisation/members/{self.member_g1.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="ledd_member_membership_state"', response.text)
        self.assertIn("Free Member", response.text)
        self.assertEqual(self.url_open(f"/my/organisation/members/{self.member_l3.id}").status_code, 404)

    def test_my_organisation_shows_my_membership(self):
        self.user_portal.partner_id.free_member = True
        self.authenticate("t_portal", "t_portal")
        response = self.url_open("/my/organisation")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="ledd_my_membership"', response.text)
        self.assertIn("Free Member", response.text)
