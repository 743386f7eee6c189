from odoo.addons.ledd_base.tests.common import LeddOrganisationMixin


class LeddTrainingMixin(LeddOrganisationMixin):
    """The Ledd test organisation plus a course with two contents, a course
    requirement for volunteers and leaders, and a police certificate for volunteers."""

    @classmethod
    def _create_ledd_training(cls):
        cls._create_ledd_organisation()
        env = cls.env
        cls.channel = env["slide.channel"].create(
            {
                "name": "T Child Safety",
                "enroll": "invite",
                "visibility": "members",
                "is_published": True,
                "slide_ids": [
                    (0, 0, {"name": "T Lesson 1", "slide_category": "document", "is_published": True}),
                    (0, 0, {"name": "T Lesson 2", "slide_category": "document", "is_published": True}),
                ],
            }
        )
        cls.refresher = env["slide.channel"].create(
            {
                "name": "T Child Safety Refresher",
                "enroll": "invite",
                "is_published": True,
                "slide_ids": [(0, 0, {"name": "T Refresh", "slide_category": "document", "is_published": True})],
            }
        )
        Requirement = env["ledd.training.requirement"]
        cls.req_course = Requirement.create(
            {
                "role_type_id": cls.rt_volunteer.id,
                "kind": "course",
                "channel_id": cls.channel.id,
                "due_days": 30,
                "valid_months": 12,
            }
        )
        cls.req_course_leader = Requirement.create(
            {
                "name": "T Child Safety for leaders",
                "role_type_id": cls.rt_leader.id,
                "kind": "course",
                "channel_id": cls.channel.id,
                "due_days": 14,
            }
        )
        cls.req_attest = Requirement.create(
            {
                "name": "T Police certificate",
                "role_type_id": cls.rt_volunteer.id,
                "kind": "attestation",
                "due_days": 60,
                "valid_months": 36,
            }
        )

    def _assignments(self, partner, requirement=None, states=None):
        domain = [("partner_id", "=", partner.id)]
        if requirement:
            domain.append(("requirement_id", "=", requirement.id))
        if states:
            domain.append(("state", "in", states))
        return self.env["ledd.training.assignment"].sudo().search(domain, order="id")

    def _complete_course(self, partner, channel):
        """Finish every content of the course the way website_slides records it."""
        user = partner.user_ids[:1]
        if user:
            channel.slide_ids.with_user(user).action_mark_completed()
        else:
            slide_partners = self.env["slide.slide.partner"].sudo()
            for slide in channel.slide_ids:
                existing = slide_partners.search([("slide_id", "=", slide.id), ("partner_id", "=", partner.id)])
                if existing:
                    existing.completed = True
                else:
                    slide_partners.create({"slide_id": slide.id, "partner_id": partner.id, "completed": True})
