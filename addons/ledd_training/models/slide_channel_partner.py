from odoo import models


class SlideChannelPartner(models.Model):
    _inherit = "slide.channel.partner"

    def _post_completion_update_hook(self, completed=True):
        """website_slides just found these enrolments finished (it keeps no
        completion date): the open training cycles of these courses are done today."""
        res = super()._post_completion_update_hook(completed=completed)
        if completed:
            self.env["ledd.training.assignment"]._on_courses_completed(self)
        return res
