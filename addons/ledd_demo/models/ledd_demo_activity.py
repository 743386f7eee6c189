import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

HISTORY_DAYS = 90
ROW_BATCH = 50000
# Share of users by habit (cumulative) and the chance that they use Ledd on a given day.
HABITS = [(0.12, "daily", 0.8), (0.55, "weekly", 0.2), (0.78, "monthly", 0.04), (1.0, "inactive", 0.0)]
# The demo courses and who must take them: (name, role type xmlids, days to do it).
COURSES = [
    (
        "Velkommen til organisasjonen",
        ("ledd_base.role_type_leader", "ledd_base.role_type_superuser", "ledd_base.role_type_volunteer"),
        30,
    ),
    ("Personvern for tillitsvalgte", ("ledd_base.role_type_leader", "ledd_base.role_type_superuser"), 60),
]
DONE_SHARE = 0.6
OVERDUE_SHARE = 0.15
REQUEST_TITLES = {
    "login": ["Får ikke logget inn", "Har glemt passordet", "Lenken for nytt passord virker ikke"],
    "error": ["Feilmelding når jeg lagrer", "Medlemslisten viser feil antall", "Siden laster ikke"],
    "question": ["Hvordan legger jeg til et nytt medlem?", "Hvor finner jeg kursene?", "Hvem ser kontaktinfoen min?"],
    "wish": ["Ønsker eksport til regneark", "Påminnelse før møter", "Enklere oversikt over frivillige"],
}
# Share of requests by state (cumulative); the open ones are recent.
REQUEST_STATES = [(0.45, "closed"), (0.7, "solved"), (0.8, "in_progress"), (0.85, "waiting"), (1.0, "new")]
ESCALATED_SHARE = 0.05


class LeddDemoActivity(models.AbstractModel):
    """Login history, training and support requests of a demo organisation
    (called by ``ledd.demo.generator``, which checks the caller's rights)."""

    _name = "ledd.demo.activity"
    _description = "Ledd Demo Activity Generator"

    # ------------------------------------------------------------ login history
    def _ledd_create_activity(self, rng, users):
        """One ``ledd.user.activity`` row per user and day used over the last
        90 days, by habit: some daily, many weekly, some monthly, a share never.

        The rows are drawn in Python (seeded) and stored with one
        ``INSERT ... SELECT FROM unnest()`` per 50,000 rows: 5,000 users times
        90 days in the ORM would take minutes. The latest day is also recorded
        as the user's last login (``res.users.log``, what ``login_date`` reads)."""
        today = fields.Date.context_today(self)
        user_ids, days = [], []
        last_day = {}
        for user in users.sorted("id"):
            draw = rng.random()
            chance = next(chance for limit, _habit, chance in HABITS if draw < limit)
            for offset in range(HISTORY_DAYS):
                if rng.random() < chance:
                    day = today - timedelta(days=offset)
                    user_ids.append(user.id)
                    days.append(day)
                    last_day.setdefault(user.id, day)
        self.env.flush_all()
        for start in range(0, len(user_ids), ROW_BATCH):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ledd_user_activity (user_id, partner_id, unit_id, date)
                    SELECT u.id, u.partner_id, p.ledd_unit_id, d.day
                      FROM unnest(%(user_ids)s::int[], %(days)s::date[]) AS d(user_id, day)
                      JOIN res_users u ON u.id = d.user_id
                      JOIN res_partner p ON p.id = u.partner_id
                    ON CONFLICT (user_id, date) DO NOTHING
                    """,
                    user_ids=user_ids[start : start + ROW_BATCH],
                    days=days[start : start + ROW_BATCH],
                )
            )
        if last_day:
            moments = [
                datetime.combine(day, time(7)) + timedelta(minutes=rng.randint(0, 14 * 60)) for day in last_day.values()
            ]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO res_users_log (create_uid, create_date, write_uid, write_date)
                    SELECT d.user_id, d.moment, d.user_id, d.moment
                      FROM unnest(%(user_ids)s::int[], %(moments)s::timestamp[]) AS d(user_id, moment)
                    """,
                    user_ids=list(last_day),
                    moments=moments,
                )
            )
        self.env.invalidate_all()
        _logger.info("ledd_demo: %s activity rows for %s users", len(user_ids), len(users))
        return len(user_ids)

    # ------------------------------------------------------------ training
    def _ledd_training_requirements(self):
        """The demo courses and their requirements, created once per database
        (further demo organisations share them). Created before the roles, so
        that creating the roles in one batch assigns the training at once."""
        Channel = self.env["slide.channel"]
        Requirement = self.env["ledd.training.requirement"].with_context(active_test=False)
        requirements = Requirement.browse()
        for name, role_xmlids, due_days in COURSES:
            channel = Channel.with_context(active_test=False).search([("name", "=", name)], limit=1)
            if not channel:
                channel = Channel.create(
                    {"name": name, "channel_type": "training", "enroll": "invite", "is_published": True}
                )
            for xmlid in role_xmlids:
                role_type = self.env.ref(xmlid)
                requirement = Requirement.search(
                    [("channel_id", "=", channel.id), ("role_type_id", "=", role_type.id)], limit=1
                )
                if not requirement:
                    requirement = Requirement.create(
                        {
                            "channel_id": channel.id,
                            "role_type_id": role_type.id,
                            "kind": "course",
                            "due_days": due_days,
                        }
                    )
                requirements |= requirement
        return requirements

    def _ledd_progress_training(self, rng, roles):
        """Mark a share of the new assignments done (on a day after the role
        began, through the training addon's ``_set_done``) and a share overdue."""
        Assignment = self.env["ledd.training.assignment"]
        assignments = Assignment.search([("role_id", "in", roles.ids), ("state", "=", "due")], order="id")
        today = fields.Date.context_today(self)
        done_on = defaultdict(lambda: Assignment.browse())
        overdue_on = defaultdict(lambda: Assignment.browse())
        for assignment in assignments:
            draw = rng.random()
            start = assignment.role_id.date_start
            if draw < DONE_SHARE:
                day = min(start + timedelta(days=rng.randint(1, 60)), today)
                # by month: one call per month keeps the number of writes small
                done_on[day.replace(day=1) if day.replace(day=1) >= start else day] |= assignment
            elif draw < DONE_SHARE + OVERDUE_SHARE:
                day = today - timedelta(days=7 * rng.randint(1, 12))
                overdue_on[max(day, start + timedelta(days=1))] |= assignment
        for day, batch in done_on.items():
            batch._set_done(day, "course")
        for day, batch in overdue_on.items():
            batch.write({"state": "overdue", "date_due": day})
        _logger.info(
            "ledd_demo: %s training assignments, %s done, %s overdue",
            len(assignments),
            sum(len(batch) for batch in done_on.values()),
            sum(len(batch) for batch in overdue_on.values()),
        )
        return assignments

    # ------------------------------------------------------------ support requests
    def _ledd_create_requests(self, rng, tree, people):
        """A few requests per local branch, created through the ORM (routing,
        deadlines, notifications), a handful escalated; then spread over the
        last 90 days in one SQL statement (create and response dates are
        history no ORM call may write)."""
        Request = self.env["ledd.request"]
        people_model = self.env["ledd.demo.people"]
        vals_list = []
        for local in tree["locals"]:
            candidates = people_model._ledd_subtree_people(local, tree, people)
            if not candidates:
                continue
            for _index in range(rng.randint(1, 4)):
                kind = rng.choice(list(REQUEST_TITLES))
                vals_list.append(
                    {
                        "name": rng.choice(REQUEST_TITLES[kind]),
                        "request_type": kind,
                        "requester_partner_id": rng.choice(candidates),
                        "priority": "1" if rng.random() < 0.1 else "0",
                    }
                )
        requests = Request.browse()
        for start in range(0, len(vals_list), 500):
            requests |= Request.create(vals_list[start : start + 500])
        # a handful: 5 %, at least one
        escalated = Request.browse(
            sorted(rng.sample(requests.ids, min(len(requests), max(1, round(len(requests) * ESCALATED_SHARE)))))
        )
        self.env["ledd.request.router"]._escalate(escalated, "no_response")
        now = fields.Datetime.now()
        rows = []
        for request in requests:
            draw = rng.random()
            state = next(name for limit, name in REQUEST_STATES if draw < limit)
            if request in escalated:
                state = "escalated"
            if state in ("closed", "solved"):
                created = now - timedelta(days=rng.randint(3, HISTORY_DAYS), hours=rng.randint(0, 23))
            elif state == "escalated":
                created = now - timedelta(hours=rng.randint(12, 72))
            else:
                created = now - timedelta(hours=rng.randint(1, 72))
            first = solved = None
            if state not in ("new", "escalated"):
                first = created + timedelta(hours=rng.expovariate(1 / 20))
            if state in ("closed", "solved"):
                solved = first + timedelta(hours=rng.expovariate(1 / 60))
            rows.append((request.id, state, created, first, solved))
        self.env.flush_all()
        if rows:
            values = SQL(", ").join(SQL("(%s, %s, %s::timestamp, %s::timestamp, %s::timestamp)", *row) for row in rows)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %s r
                       SET state = v.state,
                           create_date = v.created,
                           date_assigned = v.created
                               + CASE WHEN r.escalation_count > 0 THEN interval '8 hours' ELSE interval '0' END,
                           date_first_response = v.first_response,
                           date_solved = v.solved,
                           response_hours = COALESCE(EXTRACT(EPOCH FROM v.first_response - v.created) / 3600, 0),
                           solve_hours = COALESCE(EXTRACT(EPOCH FROM v.solved - v.created) / 3600, 0)
                      FROM (VALUES %s) AS v(id, state, created, first_response, solved)
                     WHERE r.id = v.id
                    """,
                    SQL.identifier(Request._table),
                    values,
                )
            )
            # escalated: the request sat unanswered past its deadline before the hop
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %s h
                       SET date = r.create_date + interval '8 hours'
                      FROM %s r
                     WHERE h.request_id = r.id AND r.id = ANY(%s)
                    """,
                    SQL.identifier(self.env["ledd.request.hop"]._table),
                    SQL.identifier(Request._table),
                    escalated.ids,
                )
            )
        self.env.invalidate_all()
        _logger.info("ledd_demo: %s support requests, %s escalated", len(requests), len(escalated))
        return requests
