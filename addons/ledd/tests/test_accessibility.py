"""Portal and public pages of the suite: WCAG 2.1 AA (axe-core in Chromium) and
no third-party requests."""

import json
import os
from pathlib import Path

from odoo.tests import HttpCase, tagged

from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin

AXE_RUNNER = """
;(async function () {
    // Let the page's own requests settle first (portal counters and the like).
    let seen = -1;
    for (let waited = 0; waited < 10000; waited += 250) {
        const count = performance.getEntriesByType("resource").length;
        if (count === seen && !document.querySelector(".o_portal_doc_spinner:not(.d-none)")) {
            break;
        }
        seen = count;
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const foreign = performance.getEntriesByType("resource")
        .map((entry) => new URL(entry.name, location.href))
        .filter((url) => url.protocol.startsWith("http") && url.host !== location.host);
    if (foreign.length) {
        console.error("third-party requests: " + foreign.map((url) => url.href).join(", "));
        return;
    }
    const result = await axe.run(document, {runOnly: {type: "tag", values: %(tags)s}});
    if (result.violations.length) {
        console.error("accessibility violations: " + result.violations.map((violation) =>
            violation.id + " (" + violation.impact + "): " + violation.nodes.slice(0, 3)
                .map((node) => node.target.join(" ")).join(" | ")).join("; "));
    } else {
        console.log("test successful");
    }
})();
"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@tagged("post_install", "-at_install")
class TestPortalAccessibility(LeddOrganisationMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_ledd_organisation()
        axe_path = os.environ.get("LEDD_AXE_JS")
        if not axe_path or not Path(axe_path).exists():
            raise RuntimeError("LEDD_AXE_JS must name axe.min.js (axe-core): run the tests through `make test`.")
        cls.axe_code = Path(axe_path).read_text() + AXE_RUNNER % {"tags": json.dumps(WCAG_TAGS)}

    def _check(self, url, login=None):
        with self.subTest(url=url, login=login):
            self.browser_js(url, self.axe_code, ready="document.readyState === 'complete'", login=login, timeout=120)

    def test_public_pages(self):
        self._check("/web/login")
        self._check("/web/login/help")

    def test_member_pages(self):
        self._check("/my", login="t_portal")
        self._check("/my/organisation", login="t_portal")

    def test_superuser_pages(self):
        self._check("/my/organisation/members", login="t_portal_super")
        self._check(f"/my/organisation/members/{self.member_l1.id}", login="t_portal_super")

    def test_request_pages(self):
        self._check("/my/requests", login="t_portal")
        self._check("/my/requests/new", login="t_portal")

    def test_login_help_pages(self):
        self._check("/my/login-help", login="t_portal_super")
        self._check(f"/my/login-help/{self.user_portal.partner_id.id}", login="t_portal_super")

    def test_training_pages(self):
        self._check("/my/training", login="t_portal")
        self._check("/my/training/people", login="t_region")
