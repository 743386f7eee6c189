import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LeddTrainingMixin


@tagged("post_install", "-at_install")
class TestPortalMyTraining(LeddTrainingMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_training()
        Role = cls.env["ledd.role"]
        Role.create(
            {
                "partner_id": cls.user_portal.partner_id.id,
                "unit_id": cls.unit_l1.id,
                "role_type_id": cls.rt_volunteer.id,
            }
        )
        Role.create({"partner_id": cls.member_l3.id, "unit_id": cls.unit_l3.id, "role_type_id": cls.rt_volunteer.id})
        cls.env["ledd.onboarding.step"].create({"name": "Meet your leader", "role_type_id": cls.rt_volunteer.id})

    def _meet_line(self, partner):
        return self.env["ledd.onboarding.line"].search(
            [("partner_id", "=", partner.id), ("step_id.name", "=", "Meet your leader")]
        )

    def test_member_sees_what_is_required(self):
        self.channel.slide_ids[0].with_user(self.user_portal).action_mark_completed()
        self.authenticate("t_portal", "t_portal")
        response = self.url_open("/my/training")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("T Child Safety", page)
        self.assertIn("T Police certificate", page)
        self.assertIn(f'href="/slides/{self.env["ir.http"]._slug(self.channel)}"', page)
        self.assertIn("50 %", page)
        self.assertIn("Meet your leader", page)
        self.assertNotIn("/my/training/people", page)
        self.assertNotIn("Siri Stavanger", page)

    def test_completed_cycle_and_expiry_shown(self):
        self.channel.slide_ids.with_user(self.user_portal).action_mark_completed()
        course = self._assignments(self.user_portal.partner_id, self.req_course)
        self.authenticate("t_portal", "t_portal")
        page = self.url_open("/my/training").text
        self.assertIn('id="ledd_training_history_title"', page)
        self.assertIn(course.date_expiry.strftime("%m/%d/%Y"), page)

    def test_portal_home_links_to_my_training(self):
        self.authenticate("t_portal", "t_portal")
        self.assertIn('href="/my/training"', self.url_open("/my").text)

    def test_member_has_no_people_pages(self):
        self.authenticate("t_portal", "t_portal")
        self.assertEqual(self.url_open("/my/training/people").status_code, 404)
        self.assertEqual(self.url_open(f"/my/training/people/{self.member_l1.id}").status_code, 404)

    def test_leader_sees_their_people_only(self):
        self.authenticate("t_portal_super", "t_portal_super")
        self.assertIn("/my/training/people", self.url_open("/my/training").text)
        response = self.url_open("/my/training/people")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Mia Bergen", response.text)
        self.assertIn("Per Portal", response.text)
        self.assertNotIn("Siri Stavanger", response.text)
        response = self.url_open(f"/my/training/people/{self.member_l1.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("T Child Safety", response.text)
        self.assertEqual(self.url_open(f"/my/training/people/{self.member_l3.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/training/people/999999999").status_code, 404)

    def test_leader_ticks_a_step_with_csrf(self):
        line = self._meet_line(self.member_l1)
        self.authenticate("t_portal_super", "t_portal_super")
        url = f"/my/training/people/{self.member_l1.id}"
        page = self.url_open(url).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        # Without the token: refused.
        with mute_logger("odoo.http"):
            response = self.url_open(f"{url}/tick", data={"line_id": line.id, "done": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(line.done)
        # A line of another person through this person's URL: 404.
        other = self._meet_line(self.member_l3)
        response = self.url_open(f"{url}/tick", data={"line_id": other.id, "done": "1", "csrf_token": token})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(other.done)
        response = self.url_open(f"{url}/tick", data={"line_id": line.id, "done": "1", "csrf_token": token})
        self.assertEqual(response.status_code, 200)
        line.invalidate_recordset()
        self.assertTrue(line.done)
        self.assertEqual(line.done_by_id, self.user_portal_super)

    def test_out_of_scope_tick_answers_404(self):
        line = self._meet_line(self.member_l3)
        self.authenticate("t_portal_super", "t_portal_super")
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', self.url_open(f"/my/training/people/{self.member_l1.id}").text
        ).group(1)
        response = self.url_open(
            f"/my/training/people/{self.member_l3.id}/tick",
            data={"line_id": line.id, "done": "1", "csrf_token": token},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(line.done)

    def test_tour_my_training(self):
        self.start_tour("/my", "ledd_training_my_training", login="t_portal")
