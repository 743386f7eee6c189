"""README screenshots, in Norwegian: `make screenshots` runs these (tag
ledd_screenshots); they are not part of the standard test run."""

import base64
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin

SETTLE = "setTimeout(() => console.log('test successful'), %d);"


@tagged("-standard", "ledd_screenshots", "post_install", "-at_install")
class TestReadmeScreenshots(LeddOrganisationMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
        cls.target = Path(os.environ.get("LEDD_SCREENSHOT_DIR", "screenshots"))
        cls.target.mkdir(parents=True, exist_ok=True)
        cls.env["res.lang"]._activate_lang("nb_NO")
        modules = cls.env["ir.module.module"].search([("name", "=like", "ledd%"), ("state", "=", "installed")])
        modules._update_translations(["nb_NO"])
        (cls.user_portal | cls.user_portal_super | cls.user_manager).write({"lang": "nb_NO"})
        if "website" in cls.env:
            # portal pages follow the website's languages
            norwegian = cls.env["res.lang"]._lang_get("nb_NO")
            cls.env["website"].search([]).write({"language_ids": [(4, norwegian.id)], "default_lang_id": norwegian.id})

    def _shoot(self, name, url, login, settle_ms=1200):
        shots = []
        stop = ChromeBrowser.stop

        def stop_after_screenshot(browser):
            # browser_js stops the browser when the page signals success: capture it first
            shots.append(browser._websocket_send("Page.captureScreenshot", with_future=True).result(timeout=30))
            return stop(browser)

        with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
            self.browser_js(
                url, SETTLE % settle_ms, ready="document.readyState === 'complete'", login=login, timeout=120
            )
        (self.target / f"{name}.png").write_bytes(base64.b64decode(shots[0]["data"]))
        self.assertGreater((self.target / f"{name}.png").stat().st_size, 10000)

    def _installed(self, module):
        return bool(self.env["ir.module.module"].search_count([("name", "=", module), ("state", "=", "installed")]))

    def test_portal_pages(self):
        self._shoot("portal-my-organisation", "/my/organisation", "t_portal")
        self._shoot("portal-members", "/my/organisation/members", "t_portal_super")

    def test_request_pages(self):
        if not self._installed("ledd_request"):
            return
        Request = self.env["ledd.request"]
        Request.create(
            {"name": "Får ikke logget inn", "request_type": "login", "requester_partner_id": self.member_l1.id}
        )
        Request.create({"name": "Eksport til Excel", "request_type": "wish", "requester_partner_id": self.member_l3.id})
        Request.create(
            {"name": "Medlemslisten laster ikke", "request_type": "error", "requester_partner_id": self.member_l2.id}
        )
        self._shoot("portal-request-form", "/my/requests/new", "t_portal")
        self._shoot(
            "backend-requests-kanban",
            "/odoo/action-ledd_request.ledd_request_action",
            "t_manager",
            settle_ms=2500,
        )

    def test_adoption_dashboard(self):
        Target = self.env["ledd.adoption.target"]
        Target.search([]).unlink()
        kpis = dict(Target._selection_kpi())
        targets = [
            {"kpi": kpi, "unit_type_id": unit_type.id, "target": value}
            for kpi, value in (("login_share", 20), ("email_share", 90), ("member_paying_share", 60))
            if kpi in kpis
            for unit_type in (self.type_national, self.type_region, self.type_local, self.type_group)
        ]
        Target.create(targets)
        self.env["ledd.adoption.snapshot"]._build_snapshots()
        self._shoot(
            "backend-adoption-dashboard",
            "/odoo/action-ledd_adoption.ledd_adoption_snapshot_action_dashboard",
            "t_manager",
            settle_ms=2500,
        )
