import logging
from collections import defaultdict
from datetime import date

from odoo import api, models

from .ledd_demo_generator import BATCH

_logger = logging.getLogger(__name__)


class LeddDemoMembership(models.AbstractModel):
    """Membership product and lines of a demo organisation (called by
    ``ledd.demo.generator``, which checks the caller's rights)."""

    _name = "ledd.demo.membership"
    _description = "Ledd Demo Membership Generator"

    # ------------------------------------------------------------ memberships
    def _ledd_create_memberships(self, rng, members, people):
        """Membership lines as invoicing and payment would leave them.

        The demo does not create invoices (100,000 of them would take hours):
        lines and contacts get their membership state written directly, and the
        per-contact recomputation the lines would trigger is skipped."""
        year = date.today().year
        this_from, this_to = date(year, 1, 1), date(year, 12, 31)
        last_from, last_to = date(year - 1, 1, 1), date(year - 1, 12, 31)
        product = self.env["product.product"].create(
            {
                "name": self.env._("Membership %(year)s", year=year),
                "membership": True,
                "membership_date_from": this_from,
                "membership_date_to": this_to,
                "type": "service",
                "list_price": 450.0,
            }
        )
        line_model = self.env["membership.membership_line"]
        partner_model = self.env["res.partner"]
        membership_fields = [
            partner_model._fields[name]
            for name in ("membership_state", "membership_start", "membership_stop", "membership_cancel")
        ]
        line_states = defaultdict(list)  # {state: [line id]}, per batch
        partner_values = defaultdict(list)  # {(state, start, stop): [partner_id]}
        for start in range(0, len(members), BATCH):
            batch = members[start : start + BATCH]
            vals_list, states = [], []
            for partner in batch:
                state = people["state"][partner.id]
                if state in ("free", "none"):
                    continue
                renewed = state == "old" or rng.random() < 0.6
                if renewed:
                    vals_list.append(self._ledd_line_vals(partner, product, last_from, last_to))
                    states.append("paid")
                if state != "old":
                    vals_list.append(self._ledd_line_vals(partner, product, this_from, this_to))
                    states.append(state)
                partner_values[
                    (state, last_from if renewed else this_from, last_to if state == "old" else this_to)
                ].append(partner.id)
            lines = line_model.create(vals_list)
            for env_field in membership_fields:
                self.env.remove_to_compute(env_field, batch)
            line_states.clear()
            for line, state in zip(lines, states, strict=True):
                line_states[state].append(line.id)
            for state, line_ids in line_states.items():
                line_model.browse(line_ids).write({"state": state})
            self.env.flush_all()
            _logger.info("ledd_demo: %s/%s members' memberships", min(start + BATCH, len(members)), len(members))
        for (state, date_from, date_to), partner_ids in partner_values.items():
            partner_model.browse(partner_ids).write(
                {"membership_state": state, "membership_start": date_from, "membership_stop": date_to}
            )
        return product

    @api.model
    def _ledd_line_vals(self, partner, product, date_from, date_to):
        return {
            "partner": partner.id,
            "membership_id": product.id,
            "date": date_from,
            "date_from": date_from,
            "date_to": date_to,
            "member_price": product.list_price,
        }
