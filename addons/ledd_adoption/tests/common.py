from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests.common import new_test_user

from odoo.addons.ledd_base.tests.common import LeddCase

DAY = date(2026, 3, 31)


class SnapshotAssertions:
    """The figures of the test organisation's units (``self.Snapshot``,
    ``self.test_units``), for the base figures' tests and each bridge's."""

    def _snapshots(self, day=DAY):
        return self.Snapshot.search([("date", "=", day), ("unit_id", "in", self.test_units.ids)])

    def _by_unit(self, snapshots):
        return {snapshot.unit_id: snapshot for snapshot in snapshots}

    def _behind(self, unit, method, user):
        """The records that the drill-down ``method`` of ``unit``'s figures on DAY
        lists to ``user`` on that day."""
        snapshot = self._by_unit(self._snapshots())[unit]
        with freeze_time(DAY):
            action = getattr(snapshot.with_user(user), method)()
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def _figures(self, field, day=DAY):
        return {snapshot.unit_id: snapshot[field] for snapshot in self._snapshots(day)}

    def assertFigures(self, field, day=DAY, **expected):
        """The figure ``field`` of the units on ``day``, by the units' short names:
        ``assertFigures("member_count", n=7, r1=6, l1=4)``."""
        figures = self._figures(field, day)
        for key, value in expected.items():
            unit = getattr(self, f"unit_{key}")
            self.assertAlmostEqual(figures[unit], value, places=6, msg=f"{field} of {unit.code}")

    def assertSubtreesPerPersona(self, figure):
        """Each persona reads (search, read_group on ``figure``) exactly its subtrees."""
        expected = {
            self.user_manager: self.test_units,
            self.user_owner: self.test_units,
            self.user_region: self.unit_r1 | self.unit_l1 | self.unit_l2 | self.unit_g1,
            self.user_local: self.unit_l1 | self.unit_g1,
            self.user_sibling: self.unit_l3,
        }
        for user, units in expected.items():
            with self.subTest(user=user.login):
                snapshots = self.Snapshot.with_user(user)
                self.assertEqual(snapshots.search([("unit_id", "in", self.test_units.ids)]).unit_id, units)
                groups = snapshots._read_group([("unit_id", "in", self.test_units.ids)], ["unit_id"], [f"{figure}:max"])
                self.assertEqual({unit for unit, _value in groups}, set(units))

    def assertViewsShow(self, expected):
        """``expected``: {view type: [field or button names]} in the region user's views."""
        for view_type, names in expected.items():
            arch = self.Snapshot.with_user(self.user_region).get_view(view_type=view_type)["arch"]
            for name in names:
                self.assertIn(f'name="{name}"', arch, f"{name} in the {view_type} view")


class LeddAdoptionCase(SnapshotAssertions, LeddCase):
    """The Ledd test organisation with known logins, activity and contact data.

    Figures on DAY, per subtree (members / members with login / people with login):
    G1 1/1/1, L1 4/3/4, L2 1/0/0, R1 6/3/5, L3 1/0/1, R2 1/0/1, N 7/3/6.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Roles started long before the figures' day.
        (cls.role_region | cls.role_local | cls.role_sibling | cls.role_portal_super | cls.role_volunteer).write(
            {"date_start": date(2025, 1, 1)}
        )
        cls.user_gro = new_test_user(
            env,
            login="t_gro",
            name="Gro Gruppe",
            email="gro@example.com",
            groups="base.group_portal",
            partner_id=cls.member_g1.id,
        )
        cls.member_l2.email = "vidar(at)example.com"
        cls.member_r1.email = "rune@localhost"
        cls.member_l1.write({"phone": "+47 55 00 00 00", "street": "Torget 1", "zip": "5014", "city": "Bergen"})
        cls.member_l3.mobile = "+47 900 00 000"
        cls.member_g1.write({"street": "Strandkaien 2", "city": "Bergen"})
        cls.member_l2.write({"street": "Uttrågata 1", "zip": "5700", "city": "Voss"})
        cls.role_l3_super = env["ledd.role"].create(
            {
                "partner_id": cls.member_l3.id,
                "unit_id": cls.unit_l3.id,
                "role_type_id": cls.rt_superuser.id,
                "date_start": date(2025, 1, 1),
            }
        )
        Activity = env["ledd.user.activity"]
        for user, days_ago in [
            (cls.user_portal, 1),
            (cls.user_portal, 80),
            (cls.user_gro, 6),
            (cls.user_portal_super, 21),
            (cls.user_local, 75),
            (cls.user_region, 120),
            (cls.user_sibling, 0),
            (cls.user_sibling, -1),  # after the day: does not count
        ]:
            Activity._record(user.ids, DAY - timedelta(days=days_ago))
        cls.user_owner = new_test_user(
            env, login="t_owner", name="Frida Fagansvarlig", groups="base.group_user,ledd_base.group_business_owner"
        )
        cls.Snapshot = env["ledd.adoption.snapshot"]
