"""Every list page and list endpoint asks the database a fixed number of times: as often for a
few rows as for several times more, and never more often than a ceiling.

The rows are made once for the module (see Landscape and the ``world`` fixture): the queries
of every case are counted with a few rows, then the rows are multiplied and each test counts
its case again.

Counted elsewhere, and not here: the home page, the Handlungsfeld pages and the measure lists
(tests/measures/test_pages_and_queries.py), the API lists of measures, goals, sections and
comments (tests/api/test_pagination_and_queries.py) and the dashboard
(tests/portal/test_dashboard.py).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, User, WorkingGroup
from accounts.roles import RoleName
from charta.models import ActionField, Charta, Section
from charta.services import section_save_draft, section_transition
from comments.models import Comment
from comments.services import comment_create, comment_hide, comment_set_state
from measures.models import Goal, Measure
from measures.services import measure_report_status, milestone_add, milestone_set_done
from notifications.models import Notification
from tests.api.conftest import build_section
from tests.conftest import FIELD, user_with
from tests.factories import (
    ChartaFactory,
    OrganisationFactory,
    SectionFactory,
    UserFactory,
    WorkingGroupFactory,
    ensure_seeded_fields,
    seeded_field,
)
from tests.measures.conftest import DRAFT, PUBLISHED, Status, author, make_goal, make_measure
from tests.notices import Kind

pytestmark = pytest.mark.django_db

# Steps of data (see Landscape): a few rows, then four times as many.
FEW, MANY = 2, 8
STATUSES = (Status.IN_PROGRESS, Status.DELAYED, Status.PLANNED, Status.DONE, Status.STOPPED)
# In the titles and texts of everything, so that the search finds more as the data grows.
WORD = "Zulieferer"

EVERYONE = ("anonymous", "coordinator", "editor", "wg_member")
LOGGED_IN = ("coordinator", "editor", "wg_member")
DRAFT_READERS = ("coordinator", "editor")
# Open data is read as the public sees it, whoever asks: a logged-in request differs only
# in looking up who is logged in and in bypassing the page cache.
OPEN_DATA = ("anonymous", "coordinator")

# Each list and who opens it; "{measure}" and the like are the counted objects of Landscape.
URLS: dict[str, tuple[str, ...]] = {
    "/partner/": EVERYONE,
    "/partner/{organisation}/": EVERYONE,
    "/charta/": EVERYONE,
    "/charta/abschnitt/{section}/": EVERYONE,
    "/charta/abschnitt/{section}/verlauf/": DRAFT_READERS,  # 404 for everyone else
    "/massnahmen/{measure}/": EVERYONE,
    "/massnahmen/ziele/{goal}/": EVERYONE,
    f"/suche/?q={WORD}": EVERYONE,
    "/bericht/": EVERYONE,
    "/bericht.pdf": OPEN_DATA,  # the same report, also read as the public sees it
    "/offene-daten/": OPEN_DATA,
    "/offene-daten/ziele.csv": OPEN_DATA,
    "/offene-daten/ziele.xlsx": OPEN_DATA,
    "/offene-daten/massnahmen.csv": OPEN_DATA,
    "/offene-daten/massnahmen.xlsx": OPEN_DATA,
    "/offene-daten/massnahmen.csv?handlungsfeld=industriepolitik": OPEN_DATA,
    "/offene-daten/fristen.ics": OPEN_DATA,
    "/offene-daten/fristen/industriepolitik.ics": OPEN_DATA,
    "/offene-daten/neuigkeiten.atom": OPEN_DATA,
    "/benachrichtigungen/": LOGGED_IN,
    "/api/v1/action-fields/": EVERYONE,
    "/api/v1/milestones/": EVERYONE,
    "/api/v1/measures/{measure}/status-updates/": EVERYONE,
    "/api/v1/sections/{section}/revisions/": EVERYONE,
}

# Lists whose length does not depend on the data: the five Handlungsfelder are seeded and
# never created by tests, and the open data page lists them and the downloads only.
FIXED_LENGTH = {"/api/v1/action-fields/", "/offene-daten/"}

# What each list needs today for the role that costs most, plus two: room for a shared header
# or one more permission check, while a query per row breaks them at once.
CEILINGS = {
    "/partner/": 9,
    "/partner/{organisation}/": 11,
    "/charta/": 8,
    "/charta/abschnitt/{section}/": 16,
    "/charta/abschnitt/{section}/verlauf/": 14,
    "/massnahmen/{measure}/": 21,
    "/massnahmen/ziele/{goal}/": 14,
    f"/suche/?q={WORD}": 10,
    "/bericht/": 15,
    "/bericht.pdf": 9,
    "/offene-daten/": 7,
    "/offene-daten/ziele.csv": 5,
    "/offene-daten/ziele.xlsx": 5,
    "/offene-daten/massnahmen.csv": 5,
    "/offene-daten/massnahmen.xlsx": 5,
    "/offene-daten/massnahmen.csv?handlungsfeld=industriepolitik": 6,
    "/offene-daten/fristen.ics": 5,
    "/offene-daten/fristen/industriepolitik.ics": 6,
    "/offene-daten/neuigkeiten.atom": 6,
    "/benachrichtigungen/": 7,
    "/api/v1/action-fields/": 6,
    "/api/v1/milestones/": 8,
    "/api/v1/measures/{measure}/status-updates/": 12,
    "/api/v1/sections/{section}/revisions/": 12,
}

CASES = [(url, role) for url, roles in URLS.items() for role in roles]
CASE_IDS = [f"{role}:{url}" for url, role in CASES]


class Landscape:
    """The rows the counted lists show, grown step by step through the services.

    Each step adds a partner organisation; a goal (draft or published, in one of two fields,
    owned by the counted organisation or the new one) with measures in every state (draft and
    published, planned to stopped, overdue, two working groups, a responsible person, partner
    organisations), a report and a milestone each; on the counted measure a status report, a
    milestone (every other one done) and comments (replies, resolved and hidden ones); a
    measure and a comment on the counted goal; a revision of the counted section, with a review
    round and a publication every other step and a paragraph comment; another published
    section; and notifications (read, unread, e-mail only) for every role.
    """

    def __init__(
        self,
        *,
        people: dict[str, User],
        fields: list[ActionField],
        charta: Charta,
        section: Section,
        working_group: WorkingGroup,
    ):
        self.people = people
        self.fields = fields
        self.field, self.other_field = fields[0], fields[2]
        self.charta, self.older_charta = charta, ChartaFactory()
        self.groups = [working_group, WorkingGroupFactory()]
        self.responsible = UserFactory(username="verantwortlich")
        self.organisation = OrganisationFactory(
            name="Chemnitz Wirtschaftsentwicklung", short_name="CWE", slug="cwe", is_lead=True
        )
        self.goal = make_goal(
            self.field, self.organisation, title=f"Sprechstunde für {WORD} etablieren"
        )
        self.measure = make_measure(
            self.goal,
            title=f"Strategie-Coaching für {WORD}",
            working_group=working_group,
            responsible=[self.responsible],
            partners=[OrganisationFactory()],
            start_date=timezone.localdate() - datetime.timedelta(days=30),
            deadline=timezone.localdate() + datetime.timedelta(days=300),
        )
        self.first_comment: Comment | None = None
        self.section = section
        self._revise(0)
        self._review_and_publish()
        self.steps = 0

    def urls(self, template: str) -> str:
        return template.format(
            measure=self.measure.pk,
            goal=self.goal.pk,
            section=self.section.pk,
            organisation=self.organisation.slug,
        )

    def grow(self, steps: int) -> None:
        while self.steps < steps:
            self._step(self.steps)
            self.steps += 1

    # One step ----------------------------------------------------------------------------

    def _step(self, i: int) -> None:
        newcomer = OrganisationFactory(kind=list(Organisation.Kind)[i % len(Organisation.Kind)])
        goal = make_goal(
            self.field if i % 2 == 0 else self.other_field,
            self.organisation if i % 2 == 0 else newcomer,
            state=DRAFT if i % 3 == 2 else PUBLISHED,
            title=f"{WORD} im Wandel, Ziel {i}",
            description=f"Wie {WORD} neue Geschäftsfelder finden ({i}).",
            target_date=self._day(365 + i),
        )
        for n in range(2):
            self._measure(goal, i, n, partner=self.organisation if n else newcomer)
        self._measure(self.goal, i, 2, partner=newcomer)
        self._report_on_the_counted_measure(i)
        self._comment_on_the_counted_objects(i)
        self._revise(i + 1)
        if i % 2:
            self._review_and_publish()
        self._comment_on_the_section(i)
        self._publish_another_section(i)
        self._notify(i)

    def _measure(self, goal: Goal, i: int, n: int, *, partner: Organisation) -> Measure:
        k = 3 * i + n
        status = STATUSES[k % len(STATUSES)]
        measure = make_measure(
            goal,
            title=f"{WORD}-Werkstatt {i}.{n}",
            description=f"Beratung für {WORD} in der Region, Schritt {k}.",
            state=DRAFT if k % 4 == 3 else PUBLISHED,
            working_group=self.groups[k % 2] if k % 3 else None,
            responsible=[self.responsible] if k % 5 == 1 else [],
            partners=[partner],
            start_date=self._day(-100),
            deadline=None if k % 7 == 6 else self._day(40 - 25 * (k % 5)),
            status=status,
            progress=100 if status == Status.DONE else 10 * (k % 10),
        )
        coordinator = self.people["coordinator"]
        measure_report_status(
            actor=coordinator,
            measure=measure,
            status=Status.IN_PROGRESS,
            progress=10 * (k % 10),
            note=f"Bericht zur {WORD}-Werkstatt {k}.",
        )
        milestone_add(
            actor=coordinator, measure=measure, title=f"Meilenstein {k}", due_date=self._day(k)
        )
        return measure

    def _report_on_the_counted_measure(self, i: int) -> None:
        reporter = self.people["wg_member" if i % 2 else "coordinator"]
        measure_report_status(
            actor=reporter,
            measure=self.measure,
            status=Status.DELAYED if i % 3 == 2 else Status.IN_PROGRESS,
            progress=min(5 * (i + 1), 95),
            note=f"Stand {i}: weitere **{WORD}** beraten." if i % 2 else "",
        )
        milestone = milestone_add(
            actor=self.people["editor"],
            measure=self.measure,
            title=f"Werkstatt {i}",
            due_date=self._day(10 * i - 20),
        )
        if i % 2:
            milestone_set_done(actor=self.people["wg_member"], milestone=milestone)

    def _comment_on_the_counted_objects(self, i: int) -> None:
        commenter = self.people[["editor", "partner", "coordinator"][i % 3]]
        comment = comment_create(
            actor=commenter, target=self.measure, body=f"Anmerkung {i} zur Maßnahme."
        )
        if self.first_comment is None:
            self.first_comment = comment
        comment_create(
            actor=self.people["reviewer"],
            target=self.measure,
            body=f"Antwort {i}.",
            parent=self.first_comment,
        )
        if i % 3 == 1:
            comment_set_state(actor=self.people["coordinator"], comment=comment, state="resolved")
        if i % 4 == 3:
            comment_hide(actor=self.people["coordinator"], comment=comment, reason="Werbung")
        comment_create(actor=self.people["partner"], target=self.goal, body=f"Frage {i} zum Ziel.")

    def _comment_on_the_section(self, i: int) -> None:
        section = self._reload()
        paragraphs = section.current_revision.paragraphs
        anchor, _text = paragraphs[i % len(paragraphs)]
        comment = comment_create(
            actor=self.people["partner"],
            target=section,
            body=f"Absatz prüfen ({i}).",
            paragraph=anchor,
        )
        if i % 2:
            comment_set_state(actor=self.people["editor"], comment=comment, state="resolved")

    # The counted section --------------------------------------------------------------------

    def _revise(self, number: int) -> None:
        """Revision ``number + 1``: the text grows by a paragraph with every revision."""
        body = "\n\n".join(
            f"Absatz {n}: {WORD} und Hochschulen gestalten die Transformation gemeinsam."
            for n in range(number + 2)
        )
        section_save_draft(
            actor=self.people["editor"],
            section=self._reload(),
            body=body,
            base_revision=number or None,
            message=f"Fassung {number + 1}",
        )

    def _review_and_publish(self) -> None:
        for role, action in (
            ("editor", "submit"),
            ("reviewer", "approve"),
            ("coordinator", "publish"),
        ):
            section_transition(
                actor=self.people[role],
                section=self._reload(),
                action=action,
                override=True,
                note="Offene Kommentare betreffen die nächste Fassung.",
            )

    def _reload(self) -> Section:
        return Section.objects.select_related("current_revision").get(pk=self.section.pk)

    def _publish_another_section(self, i: int) -> None:
        # The current edition has one section per field (four besides the counted one);
        # later steps publish sections of an older edition, which search and feed list too.
        if i < 4:
            charta, field = self.charta, self.fields[i + 1]
        else:
            charta, field = self.older_charta, self.fields[(i - 4) % len(self.fields)]
        coordinator = self.people["coordinator"]
        build_section(
            SectionFactory(charta=charta, action_field=field),
            editor=coordinator,
            reviewer=author(),
            coordinator=coordinator,
            state="published",
            status="draft",
        )

    # Inboxes ------------------------------------------------------------------------------

    def _notify(self, i: int) -> None:
        kinds = Kind.all()
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                recipient=self.people[role],
                kind=kinds[(i + n) % len(kinds)],
                title=f"Neuer Kommentar {i}.{n} zu „Industriepolitik“",
                url=self.section.get_absolute_url(),
                read_at=now if n == 1 else None,
                show_in_app=n != 2,
            )
            for role in LOGGED_IN
            for n in range(3)
        )

    @staticmethod
    def _day(offset: int) -> datetime.date:
        return timezone.localdate() + datetime.timedelta(days=offset)


def build_world() -> Landscape:
    """The people the cases log in as (and those who write and review), and their landscape."""
    ensure_seeded_fields()
    field = seeded_field(FIELD)
    group = WorkingGroupFactory(name="AG Qualifizierung", slug="ag-qualifizierung")
    people = {
        "coordinator": user_with("koordination", RoleName.COORDINATOR),
        "editor": user_with("redaktion", RoleName.EDITOR, field),
        "reviewer": user_with("pruefung", RoleName.REVIEWER, field),
        "partner": user_with("partner", RoleName.PARTNER),
        "wg_member": user_with("ag-mitglied", RoleName.WORKING_GROUP_MEMBER, group),
    }
    charta = ChartaFactory(
        title="ITAS-Charta 2024", slug="itas-charta-2024", year=2024, is_current=True
    )
    return Landscape(
        people=people,
        fields=list(ActionField.objects.order_by("number")),
        charta=charta,
        section=SectionFactory(charta=charta, action_field=field),
        working_group=group,
    )


def client_as(landscape: Landscape, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(landscape.people[role])
    return client


def empty_caches() -> None:
    """Anonymous answers of public pages come from the page cache (core/caching.py), which
    costs no query at all and would hide a query per row: emptied before a count, so that what
    is counted is always the page rendered from the database."""
    for each in caches.all():
        each.clear()


def counted_get(client: Client, url: str) -> tuple[int, int]:
    """The number of queries of one uncached GET and the size of its answer."""
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), len(response.content)


@dataclass
class World:
    landscape: Landscape
    few: dict[tuple[str, str], tuple[int, int]]  # (url, role) → (queries, bytes) at FEW steps


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The landscape at FEW steps, the queries of every case counted there, then the landscape
    grown to MANY steps for the tests to count again.

    Made once for the module and rolled back when it is done; every test runs in a savepoint
    of it. Passwords are hashed quickly here too (the root conftest's setting is per test).
    """
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            landscape = build_world()
            landscape.grow(FEW)
            few = {}
            for url, role in CASES:
                client = client_as(landscape, role)
                path = landscape.urls(url)
                counted_get(client, path)  # warm the process-wide caches (content types …)
                few[url, role] = counted_get(client, path)
            landscape.grow(MANY)
            yield World(landscape, few)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize(("url", "role"), CASES, ids=CASE_IDS)
def test_queries_do_not_grow_with_the_rows(url, role, world):
    client = client_as(world.landscape, role)
    path = world.landscape.urls(url)
    counted_get(client, path)  # warm up, as for the count with a few rows

    many, many_bytes = counted_get(client, path)

    few, few_bytes = world.few[url, role]
    if url not in FIXED_LENGTH:
        assert many_bytes > few_bytes, "the answer should list more rows with more data"
    assert many == few, f"{path} as {role}: {few} queries with a few rows, {many} with more"


@pytest.mark.parametrize(("url", "role"), CASES, ids=CASE_IDS)
def test_queries_stay_under_a_fixed_ceiling(url, role, world, django_assert_max_num_queries):
    client = client_as(world.landscape, role)
    path = world.landscape.urls(url)
    counted_get(client, path)  # warm up

    empty_caches()  # the rendered page, not the cached one
    with django_assert_max_num_queries(CEILINGS[url]):
        response = client.get(path)

    assert response.status_code == 200
