from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError

from .common import DAY, LeddAdoptionCase


class TestTargets(LeddAdoptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)
        Target = cls.env["ledd.adoption.target"]
        cls.target_local_login = Target.create({"kpi": "login_share", "unit_type_id": cls.type_local.id, "target": 80})
        cls.target_l2_login = Target.create({"kpi": "login_share", "unit_id": cls.unit_l2.id, "target": 50})
        cls.target_region_email = Target.create(
            {"kpi": "email_share", "unit_type_id": cls.type_region.id, "target": 60}
        )
        cls.target_region_login = Target.create(
            {"kpi": "login_share", "unit_type_id": cls.type_region.id, "target": 80, "amber_band": 50}
        )

    def test_lights_against_level_and_unit_targets(self):
        by_unit = self._by_unit(self._snapshots())
        # Bergen 75 % with a login against the local target 80 (amber from 72).
        self.assertEqual(by_unit[self.unit_l1].login_share_status, "amber")
        self.assertEqual(by_unit[self.unit_l1].status, "amber")
        # Voss: its own target of 50 replaces the local one; 0 % is red.
        self.assertEqual(by_unit[self.unit_l2].login_share_status, "red")
        # Vestland: email 66.7 % against 60 green; login 50 % against 80 with a wide band amber.
        self.assertEqual(by_unit[self.unit_r1].email_share_status, "green")
        self.assertEqual(by_unit[self.unit_r1].login_share_status, "amber")
        self.assertEqual(by_unit[self.unit_r1].status, "amber")
        # No target for groups.
        self.assertEqual((by_unit[self.unit_g1].status, by_unit[self.unit_g1].login_share_status), ("none", "none"))
        self.target_local_login.target = 75
        self.Snapshot.invalidate_model(["status", "login_share_status"])
        self.assertEqual(by_unit[self.unit_l1].status, "green")

    def test_light_boundaries(self):
        light = self.env["ledd.adoption.target"]._light
        self.assertEqual([light(v, 80, 10) for v in (80, 79.9, 72, 71.9)], ["green", "amber", "amber", "red"])
        self.assertEqual([light(v, 5, 20, True) for v in (5, 6, 6.1)], ["green", "amber", "red"])
        self.assertEqual(light(0, 0, 10), "green")

    def test_one_target_per_figure_and_place(self):
        Target = self.env["ledd.adoption.target"]
        with self.assertRaises(ValidationError):
            Target.create({"kpi": "login_share", "unit_type_id": self.type_local.id, "target": 70})
        with self.assertRaises(ValidationError):
            Target.create({"kpi": "email_share", "target": 70})
        with self.assertRaises(ValidationError):
            Target.create(
                {"kpi": "email_share", "unit_id": self.unit_l1.id, "unit_type_id": self.type_local.id, "target": 7}
            )

    def test_only_the_business_owner_sets_targets(self):
        Target = self.env["ledd.adoption.target"]
        target = Target.with_user(self.user_owner).create(
            {"kpi": "coverage_share", "unit_type_id": self.type_national.id, "target": 90}
        )
        self.assertEqual(target.with_user(self.user_region).target, 90)
        with self.assertRaises(AccessError):
            target.with_user(self.user_region).write({"target": 10})
        with self.assertRaises(AccessError):
            Target.with_user(self.user_local).create({"kpi": "phone_share", "unit_id": self.unit_l1.id, "target": 1})


class TestRolloutWaves(LeddAdoptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot._build_snapshots(DAY, cls.test_units)
        Target = cls.env["ledd.adoption.target"]
        Target.create({"kpi": "login_share", "unit_type_id": cls.type_local.id, "target": 80})
        Target.create({"kpi": "login_share", "unit_id": cls.unit_l2.id, "target": 50})
        cls.wave = cls.env["ledd.rollout.wave"].create(
            {
                "name": "Bølge 1",
                "date_training_start": DAY - timedelta(days=1),
                "date_go_live": DAY + timedelta(days=10),
            }
        )
        (cls.unit_l1 | cls.unit_l2).rollout_wave_id = cls.wave

    def test_progress_from_the_units_figures(self):
        # Bergen 75 of 80, Voss 0 of 50: (75/80 + 0) / 2.
        self.assertAlmostEqual(self.wave.progress, 100 * 75 / 80 / 2)
        self.assertEqual(self.wave.green_unit_count, 0)
        self.env["ledd.adoption.target"].search([("unit_id", "=", self.unit_l2.id)]).target = 0
        self.wave.invalidate_recordset(["progress", "green_unit_count"])
        self.assertAlmostEqual(self.wave.progress, 100 * (75 / 80 + 1) / 2)
        self.assertEqual(self.wave.green_unit_count, 1)

    def test_progress_covers_the_units_in_scope(self):
        self.unit_l3.rollout_wave_id = self.wave  # Stavanger: 0 % with a login, against 80
        self.assertAlmostEqual(self.wave.progress, 100 * 75 / 80 / 3)
        wave_as_region = self.wave.with_user(self.user_region)
        self.assertAlmostEqual(wave_as_region.progress, 100 * 75 / 80 / 2)
        wave_as_sibling = self.wave.with_user(self.user_sibling)
        self.assertEqual(wave_as_sibling.progress, 0.0)
        self.assertAlmostEqual(self.wave.with_user(self.user_owner).progress, 100 * 75 / 80 / 3)

    def test_units_move_with_the_wave_dates(self):
        self.assertEqual(self.wave.state, "planned")
        with freeze_time(DAY):
            self.env["ledd.unit"]._cron_advance_rollout()
        self.assertEqual(set((self.unit_l1 | self.unit_l2).mapped("rollout_state")), {"training"})
        self.assertEqual((self.wave.state, self.wave.training_count, self.wave.unit_count), ("training", 2, 2))
        with freeze_time(DAY + timedelta(days=10)):
            self.env["ledd.unit"]._cron_advance_rollout()
        self.assertEqual(self.wave.state, "live")
        self.unit_l1.action_set_established()
        self.assertEqual((self.wave.state, self.wave.established_count, self.wave.live_count), ("live", 1, 1))
        self.unit_l2.action_set_established()
        self.assertEqual(self.wave.state, "established")

    def test_go_live_not_before_training(self):
        with self.assertRaises(ValidationError):
            self.wave.date_go_live = DAY - timedelta(days=5)

    def test_wave_board_groups_by_stage(self):
        groups = self.env["ledd.unit"]._read_group(
            [("rollout_wave_id", "=", self.wave.id)], ["rollout_state"], ["__count"]
        )
        self.assertEqual(dict(groups), {"planned": 2})
        board = self.env["ledd.unit"].web_read_group(
            [("rollout_wave_id", "=", self.wave.id)], ["rollout_state"], ["rollout_state"]
        )
        self.assertEqual(
            [group["rollout_state"] for group in board["groups"]], ["planned", "training", "live", "established"]
        )

    def test_scoped_users_cannot_plan_waves(self):
        with self.assertRaises(AccessError):
            self.wave.with_user(self.user_region).write({"name": "Mine"})
        self.assertEqual(self.wave.with_user(self.user_region).unit_count, 2)
        self.env["ledd.rollout.wave"].with_user(self.user_owner).create({"name": "Bølge 2"})


class TestDigest(LeddAdoptionCase):
    def test_digest_to_leaders_and_business_owner(self):
        self.Snapshot._build_snapshots(DAY, self.test_units)
        recipients = self._snapshots()._digest_recipients()
        by_unit = self._by_unit(self._snapshots())
        self.assertEqual(recipients[by_unit[self.unit_r1].id], self.user_region.partner_id)
        self.assertEqual(recipients[by_unit[self.unit_l3].id], self.user_sibling.partner_id)
        self.assertIn(self.user_owner.partner_id, recipients[by_unit[self.unit_n].id])
        self.assertNotIn(by_unit[self.unit_l2].id, recipients)
        self.Snapshot._cron_send_digest()
        mail = self.env["mail.mail"].search(
            [("model", "=", "ledd.adoption.snapshot"), ("res_id", "=", by_unit[self.unit_r1].id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.user_region.partner_id)
        self.assertEqual(mail.subject, "Adoption figures for Vestland")
        self.assertIn("Members", mail.body_html)

    def test_digest_in_norwegian(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["ledd_adoption"], ["nb_NO"], overwrite=True)
        self.user_region.partner_id.lang = "nb_NO"
        self.Snapshot._build_snapshots(DAY, self.test_units)
        snapshot = self._by_unit(self._snapshots())[self.unit_r1]
        snapshot._cron_send_digest()
        mail = self.env["mail.mail"].search([("model", "=", snapshot._name), ("res_id", "=", snapshot.id)])
        self.assertEqual(mail.subject, "Innføringstall for Vestland")
        self.assertIn("Medlemmer med innlogging", mail.body_html)
