from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin


@tagged("post_install", "-at_install")
class TestDashboardTour(LeddOrganisationMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
        today = fields.Date.today()
        cls.env["ledd.user.activity"]._record(cls.user_portal.ids, today - timedelta(days=1))
        cls.env["ledd.adoption.target"].create({"kpi": "login_share", "unit_type_id": cls.type_local.id, "target": 80})
        cls.env["ledd.adoption.snapshot"]._build_snapshots(today, cls.test_units)

    def test_region_user_drills_down_from_the_dashboard(self):
        self.start_tour("/odoo", "ledd_adoption_dashboard", login="t_region")
