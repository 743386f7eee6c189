from odoo.exceptions import AccessError

from .common import LeddRequestCase


class TestRequestScope(LeddRequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.req_l1 = cls._new_request(cls.member_l1)
        cls.req_l2 = cls._new_request(cls.member_l2)
        cls.req_l3 = cls._new_request(cls.member_l3)
        cls.req_portal = cls._new_request(cls.user_portal.partner_id, request_type="question")
        cls.wish_l3 = cls._new_request(cls.member_l3, request_type="wish", name="Eksport til Excel")
        cls.all_requests = cls.req_l1 | cls.req_l2 | cls.req_l3 | cls.req_portal | cls.wish_l3
        cls.user_business = cls.env["res.users"].create(
            {
                "name": "Frida Fagansvarlig",
                "login": "t_business",
                "email": "frida@example.com",
                "groups_id": [(6, 0, [cls.env.ref("ledd_base.group_business_owner").id])],
            }
        )

    def _visible(self, user):
        return self.env["ledd.request"].with_user(user).search([("id", "in", self.all_requests.ids)])

    def test_who_sees_which_requests(self):
        expected = {
            self.user_manager: self.all_requests,
            self.user_region: self.req_l1 | self.req_l2 | self.req_portal,
            self.user_local: self.req_l1 | self.req_portal,
            self.user_sibling: self.req_l3 | self.wish_l3,
            self.user_portal: self.req_portal,
            self.user_portal_super: self.req_l1 | self.req_portal,
            self.user_business: self.wish_l3,
        }
        for user, requests in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), requests)
        groups = (
            self.env["ledd.request"]
            .with_user(self.user_local)
            ._read_group([("id", "in", self.all_requests.ids)], ["handling_unit_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.unit_l1: 2})

    def test_out_of_scope_access_refused(self):
        with self.assertRaises(AccessError):
            self.req_l3.with_user(self.user_local).read(["name"])
        with self.assertRaises(AccessError):
            self.req_l3.with_user(self.user_local).write({"priority": "2"})

    def test_only_handlers_change_the_state(self):
        with self.assertRaises(AccessError):
            self.req_portal.with_user(self.user_local).write({"state": "solved"})

    def test_business_owner_decides_and_merges_wishes(self):
        duplicate = self._new_request(self.member_l1, request_type="wish", name="Excel-eksport")
        self.wish_l3.with_user(self.user_business).write({"decision": "planned", "decision_note": "Våren 2027"})
        self.assertEqual(self.wish_l3.decision, "planned")
        duplicate.with_user(self.user_business).action_merge_into(self.wish_l3)
        self.assertEqual(duplicate.merged_into_id, self.wish_l3)
        self.assertEqual(duplicate.state, "closed")
        self.assertIn(self.member_l1, self.wish_l3.message_partner_ids)
        with self.assertRaises(AccessError):
            self.req_l1.with_user(self.user_local).action_merge_into(self.req_portal)
