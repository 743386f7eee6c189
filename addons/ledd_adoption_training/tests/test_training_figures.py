from datetime import date

from odoo.addons.ledd_adoption.tests.common import DAY, LeddAdoptionCase


class TestTrainingFigures(LeddAdoptionCase):
    """Mandatory training with known states for the people of the test organisation.

    Requirements A, B and C are mandatory, O optional (role type "Trener"); D is
    mandatory for role type "Kasserer". On DAY (31 March 2026), per person:

    - Mia (Trener, L1): A done, B waived → fully trained; O overdue (optional,
      not counted); C cancelled (not counted).
    - Sara (Trener, L1; superuser of L1, active): A done, B overdue.
    - Gro (Trener, G1): A due in April; B done, but valid only until 15 March.
    - Vidar (Trener, L2): A expired in cycle 1 and done in cycle 2; B due on
      20 March, not done (overdue, although the nightly job has not moved it).
    - Rune (Trener, R1): A and B done; (Kasserer, L3): D due in April.
    - Stein (Trener, L3; superuser of L3, active): A done, B waived → fully trained.
    - Siri (Trener, L3, ended on 1 February): A done, B overdue — not counted.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        RoleType = env["ledd.role.type"]
        cls.rt_trainer = RoleType.create({"name": "Trener", "code": "t_trainer"})
        cls.rt_treasurer = RoleType.create({"name": "Kasserer", "code": "t_treasurer"})
        Requirement = env["ledd.training.requirement"]

        def requirement(name, role_type, mandatory=True):
            return Requirement.create(
                {"name": name, "kind": "attestation", "role_type_id": role_type.id, "mandatory": mandatory}
            )

        cls.req_a = requirement("Krav A", cls.rt_trainer)
        cls.req_b = requirement("Krav B", cls.rt_trainer)
        cls.req_c = requirement("Krav C", cls.rt_trainer)
        cls.req_o = requirement("Krav O", cls.rt_trainer, mandatory=False)
        cls.req_d = requirement("Krav D", cls.rt_treasurer)
        cls.stein = cls.user_sibling.partner_id
        cls.sara = cls.user_portal_super.partner_id
        Role = env["ledd.role"]
        start = date(2025, 1, 1)

        def role(partner, unit, role_type, date_end=False):
            return Role.create(
                {
                    "partner_id": partner.id,
                    "unit_id": unit.id,
                    "role_type_id": role_type.id,
                    "date_start": start,
                    "date_end": date_end,
                }
            )

        roles = {
            "mia": role(cls.member_l1, cls.unit_l1, cls.rt_trainer),
            "sara": role(cls.sara, cls.unit_l1, cls.rt_trainer),
            "gro": role(cls.member_g1, cls.unit_g1, cls.rt_trainer),
            "vidar": role(cls.member_l2, cls.unit_l2, cls.rt_trainer),
            "rune": role(cls.member_r1, cls.unit_r1, cls.rt_trainer),
            "rune_l3": role(cls.member_r1, cls.unit_l3, cls.rt_treasurer),
            "stein": role(cls.stein, cls.unit_l3, cls.rt_trainer),
            "siri": role(cls.member_l3, cls.unit_l3, cls.rt_trainer, date_end=date(2026, 2, 1)),
        }
        cls.role_stein_super = role(cls.stein, cls.unit_l3, cls.rt_superuser)
        cls.people = (
            cls.member_l1 | cls.sara | cls.member_g1 | cls.member_l2 | cls.member_r1 | cls.stein | cls.member_l3
        )
        # Start from nothing: what the roles (and any other addon's requirements) opened goes.
        Assignment = env["ledd.training.assignment"].sudo()
        Assignment.search([("partner_id", "in", cls.people.ids)]).unlink()
        cls.assignments = {}

        def assign(key, role_key, req, state, cycle=1, **dates):
            the_role = roles[role_key]
            cls.assignments[key] = Assignment.create(
                {
                    "partner_id": the_role.partner_id.id,
                    "requirement_id": req.id,
                    "role_id": the_role.id,
                    "role_type_id": the_role.role_type_id.id,
                    "unit_id": the_role.unit_id.id,
                    "state": state,
                    "cycle": cycle,
                    **dates,
                }
            )

        done = {"date_done": date(2026, 1, 10)}
        assign("mia_a", "mia", cls.req_a, "done", **done)
        assign("mia_b", "mia", cls.req_b, "waived")
        assign("mia_o", "mia", cls.req_o, "overdue", date_due=date(2026, 3, 1))
        assign("mia_c", "mia", cls.req_c, "cancelled", date_due=date(2026, 3, 1))
        assign("sara_a", "sara", cls.req_a, "done", **done)
        assign("sara_b", "sara", cls.req_b, "overdue", date_due=date(2026, 3, 1))
        assign("gro_a", "gro", cls.req_a, "due", date_due=date(2026, 4, 30))
        assign("gro_b", "gro", cls.req_b, "done", date_done=date(2025, 3, 15), date_expiry=date(2026, 3, 15))
        assign("vidar_a1", "vidar", cls.req_a, "expired", date_done=date(2025, 1, 1), date_expiry=date(2026, 1, 1))
        assign("vidar_a2", "vidar", cls.req_a, "done", cycle=2, date_done=date(2026, 1, 5))
        assign("vidar_b", "vidar", cls.req_b, "due", date_due=date(2026, 3, 20))
        assign("rune_a", "rune", cls.req_a, "done", **done)
        assign("rune_b", "rune", cls.req_b, "done", **done)
        assign("rune_d", "rune_l3", cls.req_d, "due", date_due=date(2026, 4, 30))
        assign("stein_a", "stein", cls.req_a, "done", **done)
        assign("stein_b", "stein", cls.req_b, "waived")
        assign("siri_a", "siri", cls.req_a, "done", **done)
        assign("siri_b", "siri", cls.req_b, "overdue", date_due=date(2026, 3, 1))
        cls.all_assignments = Assignment.union(*cls.assignments.values())
        env.flush_all()
        cls.timings = cls.Snapshot._build_snapshots(DAY, cls.test_units)

    def _assignments(self, *keys):
        return self.env["ledd.training.assignment"].union(*(self.assignments[key] for key in keys))

    def test_mandatory_training_counts(self):
        # Current mandatory cycles of current roles: Mia 2, Sara 2 (L1), Gro 2 (G1), Vidar 2 (L2),
        # Rune 2 (R1), Rune's D and Stein 2 (L3). Not: O (optional), C (cancelled), Vidar's
        # first cycle of A, Siri's (role ended).
        self.assertFigures("training_assignment_count", n=13, r1=10, r2=3, l1=6, l2=2, l3=3, g1=2)

    def test_done_counts_waived_and_valid(self):
        # Complete: Mia A+B (waived), Sara A (L1); Vidar A cycle 2 (L2); Rune A+B (R1); Stein A+B (L3).
        # Gro's B ended its validity on 15 March: not complete.
        self.assertFigures("training_done_count", n=8, r1=6, r2=2, l1=3, l2=1, l3=2, g1=0)
        self.assertFigures(
            "training_completion_share", n=800 / 13, r1=60.0, r2=200 / 3, l1=50.0, l2=50.0, l3=200 / 3, g1=0.0
        )

    def test_overdue_counts(self):
        # Sara's B (L1) and Vidar's B, due on 20 March, still "due" (L2); not Mia's optional O
        # nor Siri's B (role ended).
        self.assertFigures("training_overdue_count", n=2, r1=2, r2=0, l1=1, l2=1, l3=0, g1=0)

    def test_people_fully_trained(self):
        # People: L1 Mia, Sara, Gro; R1 also Vidar and Rune; L3 Stein and Rune. Rune counts once
        # for the nation, and is not fully trained anywhere: his D in Stavanger is due.
        self.assertFigures("training_people_count", n=6, r1=5, r2=2, l1=3, l2=1, l3=2, g1=1)
        self.assertFigures("training_trained_people_count", n=2, r1=1, r2=1, l1=1, l2=0, l3=1, g1=0)
        self.assertFigures("training_trained_share", n=100 / 3, r1=20.0, r2=50.0, l1=100 / 3, l2=0.0, l3=50.0, g1=0.0)

    def test_timings(self):
        labels = {label for label, _seconds in self.timings["queries"]}
        self.assertLessEqual({"people", "training", "coverage superusers", "coverage training"}, labels)

    def test_coverage_needs_trained_superusers(self):
        # Active superusers: Sara in Bergen (overdue B) and Stein in Stavanger (fully trained).
        superusers = {
            (unit_id, partner_id)
            for unit_id, partner_id in self.Snapshot._get_coverage_superusers(DAY)
            if unit_id in self.test_units.ids
        }
        self.assertEqual(superusers, {(self.unit_l3.id, self.stein.id)})
        self.assertFigures("coverage_unit_count", n=3, r1=2, r2=1, l1=1, l2=1, l3=1, g1=0)
        self.assertFigures("covered_unit_count", n=1, r1=0, r2=1, l1=0, l2=0, l3=1, g1=0)
        self.assertFigures("coverage_share", n=100 / 3, r1=0.0, r2=100.0, l1=0.0, l2=0.0, l3=100.0, g1=0.0)

    def test_coverage_follows_the_training(self):
        # Sara's B waived: Bergen is covered. Stein's A expires on the day: Stavanger is not.
        self.assignments["sara_b"].write({"state": "waived", "waive_reason": "Kurs fra før"})
        self.assignments["stein_a"].write({"date_expiry": DAY})
        self.Snapshot._build_snapshots(DAY, self.test_units)
        self.assertFigures("covered_unit_count", n=1, r1=1, r2=0, l1=1, l2=0, l3=0, g1=0)
        self.assertFigures("training_overdue_count", n=1, r1=1, r2=0, l1=0, l2=1, l3=0, g1=0)
        self.assertFigures("training_done_count", n=8, r1=7, r2=1, l1=4, l2=1, l3=1, g1=0)
        self.assertEqual(len(self._snapshots()), len(self.test_units))

    def test_a_later_day(self):
        # On 1 May, Gro's and Rune's due A and D are overdue too.
        later = date(2026, 5, 1)
        self.Snapshot._build_snapshots(later, self.test_units)
        self.assertFigures("training_overdue_count", n=4, r1=3, r2=1, l1=2, l2=1, l3=1, g1=1, day=later)
        self.assertFigures("training_done_count", n=8, r1=6, r2=2, l1=3, l2=1, l3=2, g1=0, day=later)

    def test_training_behind_the_figures(self):
        r1, region = self.unit_r1, self.user_region
        self.assertEqual(
            self._behind(r1, "action_view_training", region),
            self._assignments(
                "mia_a", "mia_b", "sara_a", "sara_b", "gro_a", "gro_b", "vidar_a2", "vidar_b", "rune_a", "rune_b"
            ),
        )
        self.assertEqual(
            self._behind(r1, "action_view_incomplete_training", region),
            self._assignments("sara_b", "gro_a", "gro_b", "vidar_b"),
        )
        self.assertEqual(
            self._behind(r1, "action_view_overdue_training", region), self._assignments("sara_b", "vidar_b")
        )
        self.assertEqual(
            self._behind(r1, "action_view_untrained_people", region),
            self.sara | self.member_g1 | self.member_l2 | self.member_r1,
        )
        self.assertEqual(
            self._behind(self.unit_l1, "action_view_overdue_training", self.user_local), self._assignments("sara_b")
        )

    def test_uncovered_units_need_trained_superusers(self):
        # Bergen's active superuser Sara has overdue training; Voss has none; Stein covers Stavanger.
        self.assertEqual(
            self._behind(self.unit_n, "action_view_uncovered_units", self.user_manager), self.unit_l1 | self.unit_l2
        )
