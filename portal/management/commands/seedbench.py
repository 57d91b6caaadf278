"""Seed synthetic, realistic German data at any scale, for benchmarks (bench/run).

Everything is written with bulk inserts, in proportion to the number of measures N:
organisations (N/100, at least 10), working groups with their auth groups (N/50),
goals (N/5 over the five Handlungsfelder), measures (N) with ~10 back-dated status
reports each (the latest report's status and progress denormalised on the measure, as
measure_report_status does), lead and partner organisations, comments (N/10), the
reporters' object permissions and a few editors and reviewers per field. Not idempotent:
a second run adds more data. Two accounts with a known password are made for
authenticated benchmarks: bench-koordination (coordinator) and bench-redaktion (editor of
Industriepolitik).
"""

import contextlib
import datetime
import random
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Organisation, User, WorkingGroup
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta, Revision, Section
from charta.workflow import SectionStatus
from comments.models import Comment
from core.caching import bump_everything
from core.rendering import render, render_note
from measures.models import (
    Goal,
    Measure,
    MeasureGroupObjectPermission,
    MeasureParty,
    MeasureUserObjectPermission,
    StatusUpdate,
)
from measures.workflow import ImplementationStatus as Status
from measures.workflow import Priority, PublicationState

COORDINATOR = "bench-koordination"
EDITOR = "bench-redaktion"
EDITOR_FIELD = "industriepolitik"
PUBLISHED_SHARE = 0.8
# Measures are generated, inserted and dropped in chunks, so that memory stays flat.
CHUNK = 2000

CITIES = (
    "Zwickau", "Chemnitz", "Plauen", "Glauchau", "Crimmitschau", "Werdau", "Reichenbach",
    "Aue-Bad Schlema", "Schwarzenberg", "Annaberg-Buchholz", "Limbach-Oberfrohna", "Meerane",
    "Hohenstein-Ernstthal", "Auerbach", "Oelsnitz", "Lichtenstein", "Kirchberg", "Mosel",
)  # fmt: skip
SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Richter", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Krüger",
    "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Seidel", "Heinrich",
    "Vogel", "Günther", "Böhme", "Ullrich", "Lorenz", "Pfeifer",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Lena", "Katrin", "Sabine", "Julia", "Maria", "Claudia", "Susanne", "Franziska",
    "Jens", "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Uwe", "Lars", "Tobias",
    "Matthias", "Sebastian", "Kerstin", "Heike", "Ronny", "Mandy", "Sven", "Ines",
)  # fmt: skip
INDUSTRIES = (
    "Präzisionstechnik", "Automotive", "Kunststofftechnik", "Fahrzeugelektronik",
    "Umformtechnik", "Antriebstechnik", "Leichtbau", "Oberflächentechnik", "Werkzeugbau",
    "Batterietechnik", "Sondermaschinenbau", "Logistik", "Gießerei", "Textiltechnik",
)  # fmt: skip
LEGAL_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "KG", "e. K.")
ORG_KINDS = (
    ("company", 0.55), ("network", 0.1), ("chamber", 0.05), ("union", 0.05),
    ("university", 0.08), ("education", 0.08), ("development", 0.05), ("public", 0.04),
)  # fmt: skip
ORG_TEMPLATES = {
    "network": ("Netzwerk {topic} Westsachsen", "Zuliefererverbund {city}"),
    "chamber": ("Handwerkskammer-Regionalstelle {city}", "IHK-Geschäftsstelle {city}"),
    "union": ("IG Metall Geschäftsstelle {city}", "DGB Kreisverband {city}"),
    "university": ("Institut für {topic} {city}", "Forschungszentrum {topic} {city}"),
    "education": ("Bildungszentrum {city}", "Berufsschulzentrum {topic} {city}"),
    "development": ("Wirtschaftsförderung {city}", "Regionalmanagement {city}"),
    "public": ("Landratsamt {city}", "Stadtverwaltung {city}"),
}
TOPICS = (
    "Batteriezellfertigung", "Fachkräftesicherung", "Wasserstoffmobilität", "Kreislaufwirtschaft",
    "Digitalisierung im Mittelstand", "Weiterbildungsverbund", "Resiliente Lieferketten",
    "Leichtbau", "Standortmarketing", "Transformationsberatung", "Elektromobilität",
    "Künstliche Intelligenz in der Produktion", "Energieeffizienz", "Ausbildung 4.0",
    "Fahrzeugsoftware", "Recycling von Traktionsbatterien", "Gründungsförderung",
    "Betriebliche Mitbestimmung", "Flächenentwicklung", "Fachkräfte aus dem Ausland",
)  # fmt: skip
GOAL_VERBS = (
    "Stärkung", "Ausbau", "Sicherung", "Entwicklung", "Förderung", "Aufbau", "Vernetzung",
    "Modernisierung",
)  # fmt: skip
MEASURE_KINDS = (
    "Pilotprojekt", "Workshopreihe", "Qualifizierungsprogramm", "Förderberatung",
    "Transformationsdialog", "Studie", "Kompetenzzentrum", "Netzwerktreffen", "Onlineplattform",
    "Mentoringprogramm", "Machbarkeitsanalyse", "Leitfaden", "Demonstrator", "Fachkonferenz",
)  # fmt: skip
AUDIENCES = (
    "für kleine und mittlere Zulieferer", "für Beschäftigte in der Fahrzeugfertigung",
    "für Auszubildende", "für Betriebsräte", "für Kommunen im Landkreis Zwickau",
    "für Hochschulabsolvent*innen", "für Unternehmen im Erzgebirge", "im Vogtland",
    "in der Region Chemnitz", "für Quereinsteiger*innen",
)  # fmt: skip
NOTES = (
    "Auftaktveranstaltung mit {n} Teilnehmenden durchgeführt.",
    "Fördermittelantrag eingereicht; Bescheid wird im nächsten Quartal erwartet.",
    "Erste **Zwischenergebnisse** liegen vor und wurden der Arbeitsgruppe vorgestellt.",
    "Verzögerung durch Lieferengpässe beim Projektpartner; neuer Zeitplan abgestimmt.",
    "Ausschreibung veröffentlicht, {n} Angebote eingegangen.",
    "Workshop in {city} mit Vertreter*innen von {n} Unternehmen.",
    "Projektstelle besetzt; Einarbeitung läuft.",
    "Kooperationsvereinbarung mit der Hochschule unterzeichnet.",
    "Evaluation abgeschlossen, Bericht siehe Anlage im Partnerbereich.",
    "Personelle Engpässe: Umsetzung verschiebt sich um etwa {n} Wochen.",
    "Zwischenbericht an den Lenkungskreis übergeben.",
    "- Schulungsmodul 1 fertig\n- Modul 2 in Arbeit\n- Termine für {city} stehen",
)  # fmt: skip
STOP_NOTE = "Eingestellt: Die Finanzierung ist ausgelaufen, die Partner setzen andere Prioritäten."
COMMENTS = (
    "Wie wird hier der Fortschritt gemessen? Ein konkreter Indikator wäre hilfreich.",
    "Wir würden uns als Partner gern beteiligen – bitte Kontakt aufnehmen.",
    "Die Frist erscheint mir sehr ambitioniert. Gibt es einen Plan B?",
    "Bitte die Ergebnisse auch den Betriebsräten der Zulieferer zugänglich machen.",
    "Gibt es Überschneidungen mit dem Vorhaben in {city}? Dann sollten wir uns abstimmen.",
    "Sehr gut, dass hier **kleine Betriebe** ausdrücklich angesprochen werden.",
    "Ich schlage vor, die Hochschule in {city} als Partnerin aufzunehmen.",
    "Danke für den Zwischenstand. Wann ist das nächste Treffen geplant?",
)  # fmt: skip
SECTION_TEXT = """## {title}

Die Transformation der Automobilregion Südwestsachsen verändert Wertschöpfung und Arbeit.
Die Partner der ITAS-Charta verpflichten sich, im Handlungsfeld *{title}* gemeinsam zu handeln.

Wir stärken kleine und mittlere Zulieferer, sichern gute Arbeit und entwickeln die
Kompetenzen der Beschäftigten weiter.

- Wir bündeln Förderberatung und Wissen in regionalen Netzwerken.
- Wir machen Fortschritt sichtbar: jede Maßnahme berichtet regelmäßig.
- Wir beziehen Beschäftigte, Betriebsräte und Kommunen ein.

Die Maßnahmen dieses Handlungsfelds werden öffentlich dokumentiert und fortgeschrieben.
"""


@contextlib.contextmanager
def backdating(*model_classes):
    """Let bulk_create keep the given created_at/updated_at instead of stamping now."""
    saved = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def unique(name: str, taken: set[str], sep: str = " ") -> str:
    """``name``, or ``name 2``, ``name 3`` … when it is taken; the result is taken then."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}{sep}{number}"
    taken.add(candidate)
    return candidate


class Seeder:
    def __init__(
        self, *, measures: int, reports: int, seed: int, password: str, batch_size: int
    ) -> None:
        self.n = measures
        self.reports = reports
        self.rng = random.Random(seed)
        self.password = password
        self.batch = batch_size
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.created: Counter[str] = Counter()

    # --- helpers --------------------------------------------------------------------------

    def bulk(self, model, rows: list, key: str | None = None) -> list:
        objs = model.objects.bulk_create(rows, batch_size=self.batch)
        self.created[key or model._meta.verbose_name_plural] += len(rows)
        return objs

    def with_pks(self, model, objs: list, field: str) -> list:
        """Rows just bulk-inserted, with primary keys (re-read where the backend returns none)."""
        if all(obj.pk for obj in objs):
            return objs
        by_key = model.objects.in_bulk([getattr(o, field) for o in objs], field_name=field)
        return [by_key[getattr(o, field)] for o in objs]

    def pick(self, weighted: tuple[tuple[str, float], ...]) -> str:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def text(self, template: str) -> str:
        return template.format(n=self.rng.randint(3, 60), city=self.rng.choice(CITIES))

    def published(self) -> str:
        if self.rng.random() < PUBLISHED_SHARE:
            return PublicationState.PUBLISHED
        return PublicationState.DRAFT

    # --- the run --------------------------------------------------------------------------

    def run(self) -> None:
        self.fields = list(ActionField.objects.order_by("number"))
        if len(self.fields) < 5:
            raise CommandError("Die Handlungsfelder fehlen: erst „migrate“ ausführen.")
        self.report_perm = Permission.objects.get(
            codename="report_status", content_type__app_label="measures"
        )
        # Rendered once, reused by every row that carries the same text.
        self.note_pool = [
            (note, render_note(note)) for note in (self.text(t) for t in NOTES * 3)
        ] + [(STOP_NOTE, render_note(STOP_NOTE))]
        self.comment_pool = [
            (body, render_note(body)) for body in (self.text(t) for t in COMMENTS * 3)
        ]
        self.password_hash = make_password(self.password)
        self.seed_organisations()
        self.seed_people()
        self.seed_charta()
        self.seed_goals()
        self.seed_measures()
        self.seed_comments()
        self.seed_bench_accounts()

    def seed_organisations(self) -> None:
        count = max(10, self.n // 100)
        names = set(Organisation.objects.values_list("name", flat=True))
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        rows = []
        for _i in range(count):
            kind = self.pick(ORG_KINDS)
            city, topic = self.rng.choice(CITIES), self.rng.choice(TOPICS)
            if kind == "company":
                name = (
                    f"{self.rng.choice(SURNAMES)} {self.rng.choice(INDUSTRIES)} "
                    f"{self.rng.choice(LEGAL_FORMS)}"
                )
            else:
                name = self.rng.choice(ORG_TEMPLATES[kind]).format(city=city, topic=topic)
            name = unique(name, names)
            slug = unique(slugify(name)[:50], slugs, "-")
            rows.append(
                Organisation(
                    name=name,
                    short_name=name[:40],
                    slug=slug,
                    kind=kind,
                    website=f"https://www.{slug[:40]}.example",
                    description=f"Partner der ITAS-Charta aus {city}.",
                )
            )
        self.organisations = self.with_pks(Organisation, self.bulk(Organisation, rows), "slug")

    def seed_people(self) -> None:
        """Working groups with their members; editors, reviewers and partners of the fields."""
        wg_count = max(5, self.n // 50)
        wg_names = set(WorkingGroup.objects.values_list("name", flat=True))
        wg_slugs = set(WorkingGroup.objects.values_list("slug", flat=True))
        specs = []
        for _i in range(wg_count):
            name = unique(f"AG {self.rng.choice(TOPICS)} {self.rng.choice(CITIES)}", wg_names)
            specs.append((name, unique(slugify(name)[:50], wg_slugs, "-")))
        groups = self.bulk(
            Group, [Group(name=f"working-group:{slug}") for _name, slug in specs], "Gruppen"
        )
        groups = self.with_pks(Group, groups, "name")
        working_groups = [
            WorkingGroup(
                name=name,
                slug=slug,
                group=group,
                organisation=self.rng.choice(self.organisations),
                description=f"Arbeitsgruppe zu {name.removeprefix('AG ')}.",
            )
            for (name, slug), group in zip(specs, groups, strict=True)
        ]
        self.working_groups = self.with_pks(
            WorkingGroup, self.bulk(WorkingGroup, working_groups), "slug"
        )

        usernames = set(User.objects.values_list("username", flat=True))
        users = []
        # Three members per working group, and per field two editors and one reviewer.
        for _i in range(wg_count * 3 + len(self.fields) * 3 + 5):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
            username = unique(slugify(f"{first}.{last}"), usernames, "-")
            users.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@bench.example",
                    password=self.password_hash,
                )
            )
        users = self.with_pks(User, self.bulk(User, users), "username")
        self.bulk(
            Membership,
            [Membership(user=u, organisation=self.rng.choice(self.organisations)) for u in users],
        )
        members, staff = users[: wg_count * 3], users[wg_count * 3 :]
        self.members_of: dict[int, list[User]] = defaultdict(list)
        group_links = []
        for index, user in enumerate(members):
            working_group = self.working_groups[index % wg_count]
            self.members_of[working_group.pk].append(user)
            group_links.append(
                User.groups.through(user_id=user.pk, group_id=working_group.group_id)
            )
        self.bulk(User.groups.through, group_links, "Mitgliedschaften in Arbeitsgruppen")
        self.users = users
        self.editors_of: dict[int, list[User]] = {}
        for index, field in enumerate(self.fields):
            editors = staff[index * 3 : index * 3 + 2]
            reviewer = staff[index * 3 + 2]
            for editor in editors:
                role_grant(actor=None, role=RoleName.EDITOR, grantee=editor, obj=field)
            role_grant(actor=None, role=RoleName.REVIEWER, grantee=reviewer, obj=field)
            self.editors_of[field.pk] = editors
            self.created["Rollen (Redaktion, Prüfung)"] += 3
        for partner in staff[len(self.fields) * 3 :]:
            role_grant(actor=None, role=RoleName.PARTNER, grantee=partner)
            self.created["Rollen (Partner)"] += 1

    def seed_charta(self) -> None:
        """A current edition with a published section per field, unless there is one."""
        if Charta.objects.filter(is_current=True).exists():
            return
        charta = Charta.objects.create(
            title="ITAS-Charta 2024",
            slug=unique("itas-charta-2024", set(Charta.objects.values_list("slug", flat=True))),
            year=2024,
            preamble="Gemeinsam für eine starke Automobilregion Südwestsachsen.",
            is_current=True,
        )
        self.created["Charta-Ausgaben"] += 1
        for field in self.fields:
            author = self.editors_of[field.pk][0]
            section = Section.objects.create(charta=charta, action_field=field, title=field.title)
            body = SECTION_TEXT.format(title=field.title)
            rendered = render(body)
            revision = Revision.objects.create(
                section=section,
                number=1,
                body=body,
                body_html=rendered.html,
                paragraphs=rendered.paragraphs,
                message="Erste Fassung",
                author=author,
            )
            section.current_revision = section.approved_revision = revision
            section.published_revision = revision
            section.status = SectionStatus.PUBLISHED
            section.published_at = self.now
            section.save()
            self.created["Abschnitte"] += 1

    def seed_goals(self) -> None:
        rows = []
        for index in range(max(5, self.n // 5)):
            field = self.fields[index % len(self.fields)]
            topic = self.rng.choice(TOPICS)
            rows.append(
                Goal(
                    action_field=field,
                    title=f"{self.rng.choice(GOAL_VERBS)}: {topic} {self.rng.choice(AUDIENCES)}",
                    description=f"Ziel im Handlungsfeld {field.title} zum Thema {topic}.",
                    indicator=f"Anzahl erreichter Betriebe bis {self.today.year + 2}",
                    owner=self.rng.choice(self.organisations),
                    target_date=self.today + datetime.timedelta(days=self.rng.randint(-200, 1500)),
                    state=self.published(),
                    created_by=self.editors_of[field.pk][0],
                    created_at=self.now - datetime.timedelta(days=self.rng.randint(400, 1200)),
                    updated_at=self.now - datetime.timedelta(days=self.rng.randint(0, 400)),
                )
            )
        with backdating(Goal):
            goals = self.bulk(Goal, rows)
        if not all(goal.pk for goal in goals):
            goals = list(Goal.objects.order_by("-pk")[: len(rows)])[::-1]
        self.goals = goals

    def seed_measures(self) -> None:
        self.measure_refs: list[tuple[int, int, str]] = []  # (pk, action field pk, state)
        for start in range(0, self.n, CHUNK):
            self._seed_measure_chunk(min(CHUNK, self.n - start))

    def _history(self, start: datetime.date, deadline: datetime.date) -> list[tuple]:
        """(status, progress, note index, days ago) of the reports, oldest first."""
        count = max(1, self.rng.randint(self.reports - 2, self.reports + 2))
        began = (self.today - start).days
        if began <= 0:
            # Not started yet: planning reports only.
            return [
                (Status.PLANNED, 0, self.rng.randrange(len(self.note_pool) - 1), days)
                for days in sorted(self.rng.sample(range(1, 200), min(count, 3)), reverse=True)
            ]
        days_ago = sorted(self.rng.sample(range(0, max(began, count + 1)), count), reverse=True)
        ending = self.rng.random()
        final = Status.DONE if ending < 0.15 else Status.STOPPED if ending < 0.2 else None
        history, progress = [], 0
        for index, days in enumerate(days_ago):
            last = index == count - 1
            progress = min(95, progress + self.rng.randint(0, 100 // count + 5))
            late = deadline < self.today - datetime.timedelta(days=days)
            status = Status.IN_PROGRESS if progress else Status.PLANNED
            if late or self.rng.random() < 0.1:
                status = Status.DELAYED
            note = self.rng.randrange(len(self.note_pool) - 1)
            if last and final == Status.DONE:
                status, progress = Status.DONE, 100
            elif last and final == Status.STOPPED:
                status, note = Status.STOPPED, len(self.note_pool) - 1
            history.append((status, progress, note, days))
        return history

    def _seed_measure_chunk(self, count: int) -> None:
        rows, histories = [], []
        for _i in range(count):
            goal = self.rng.choice(self.goals)
            owner = self.rng.choice(self.organisations)
            start = self.today + datetime.timedelta(days=self.rng.randint(-1000, 300))
            deadline = start + datetime.timedelta(days=self.rng.randint(60, 900))
            history = self._history(start, deadline)
            status, progress, _note, days = history[-1]
            reported = self.now - datetime.timedelta(days=days, minutes=self.rng.randint(0, 600))
            created = self.now - datetime.timedelta(days=history[0][3] + self.rng.randint(1, 60))
            working_group = (
                self.rng.choice(self.working_groups) if self.rng.random() < 0.9 else None
            )
            rows.append(
                Measure(
                    goal=goal,
                    title=(
                        f"{self.rng.choice(MEASURE_KINDS)} {self.rng.choice(TOPICS)} "
                        f"{self.rng.choice(AUDIENCES)}"
                    ),
                    description=(
                        f"{self.rng.choice(MEASURE_KINDS)} in {self.rng.choice(CITIES)}: "
                        "Bedarfe erheben, Partner gewinnen, Ergebnisse verbreiten."
                    ),
                    owner=owner,
                    working_group=working_group,
                    start_date=start,
                    deadline=deadline,
                    priority=self.rng.choice(Priority.values),
                    status=status,
                    progress=progress,
                    last_reported_at=reported,
                    state=self.published(),
                    created_by=self.editors_of[goal.action_field_id][0],
                    created_at=created,
                    updated_at=reported,
                )
            )
            histories.append((history, reported))
        with backdating(Measure):
            measures = self.bulk(Measure, rows)
        if not all(m.pk for m in measures):
            measures = list(Measure.objects.order_by("-pk")[:count])[::-1]
            for measure, row in zip(measures, rows, strict=True):
                measure.working_group = row.working_group
                measure.goal = row.goal
        updates, parties, group_perms, user_perms, responsible = [], [], [], [], []
        for measure, (history, reported) in zip(measures, histories, strict=True):
            self.measure_refs.append((measure.pk, measure.goal.action_field_id, measure.state))
            reporters = self.members_of.get(measure.working_group_id) or self.users
            for index, (status, progress, note, days) in enumerate(history):
                text, html = self.note_pool[note]
                created = self.now - datetime.timedelta(days=days, minutes=self.rng.randint(0, 600))
                if index == len(history) - 1:
                    created = reported  # the latest report is the measure's status
                updates.append(
                    StatusUpdate(
                        measure=measure,
                        status=status,
                        progress=progress,
                        note=text,
                        note_html=html,
                        author=self.rng.choice(reporters),
                        created_at=created,
                    )
                )
            parties.append(
                MeasureParty(
                    measure=measure, organisation_id=measure.owner_id, role=MeasureParty.Role.LEAD
                )
            )
            if self.rng.random() < 0.3:
                partner = self.rng.choice(self.organisations)
                if partner.pk != measure.owner_id:
                    parties.append(
                        MeasureParty(
                            measure=measure,
                            organisation=partner,
                            role=MeasureParty.Role.PARTNER,
                        )
                    )
            if measure.working_group_id:
                group_perms.append(
                    MeasureGroupObjectPermission(
                        content_object=measure,
                        group_id=measure.working_group.group_id,
                        permission=self.report_perm,
                    )
                )
            if self.rng.random() < 0.3:
                person = self.rng.choice(reporters)
                responsible.append(Measure.responsible.through(measure=measure, user=person))
                user_perms.append(
                    MeasureUserObjectPermission(
                        content_object=measure, user=person, permission=self.report_perm
                    )
                )
        with backdating(StatusUpdate):
            self.bulk(StatusUpdate, updates)
        self.bulk(MeasureParty, parties)
        self.bulk(Measure.responsible.through, responsible, "Verantwortliche Personen")
        self.bulk(MeasureGroupObjectPermission, group_perms)
        self.bulk(MeasureUserObjectPermission, user_perms)

    def seed_comments(self) -> None:
        goal_type = ContentType.objects.get_for_model(Goal)
        measure_type = ContentType.objects.get_for_model(Measure)
        rows = []
        for _i in range(max(5, self.n // 10)):
            if self.rng.random() < 0.3:
                goal = self.rng.choice(self.goals)
                content_type, object_id, field_id = goal_type, goal.pk, goal.action_field_id
            else:
                object_id, field_id, _state = self.rng.choice(self.measure_refs)
                content_type = measure_type
            body, html = self.rng.choice(self.comment_pool)
            resolved = self.rng.random() < 0.25
            created = self.now - datetime.timedelta(minutes=self.rng.randint(10, 600_000))
            rows.append(
                Comment(
                    content_type=content_type,
                    object_id=object_id,
                    scope=field_id,
                    body=body,
                    body_html=html,
                    author=self.rng.choice(self.users),
                    state=Comment.State.RESOLVED if resolved else Comment.State.OPEN,
                    resolved_at=created + datetime.timedelta(days=3) if resolved else None,
                    created_at=created,
                )
            )
        with backdating(Comment):
            self.bulk(Comment, rows)

    def seed_bench_accounts(self) -> None:
        lead = self.organisations[0]
        for username, last_name, role, obj in (
            (COORDINATOR, "Koordination", RoleName.COORDINATOR, None),
            (EDITOR, "Redaktion", RoleName.EDITOR, ActionField.objects.get(slug=EDITOR_FIELD)),
        ):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Bench",
                    "last_name": last_name,
                    "email": f"{username}@bench.example",
                },
            )
            user.set_password(self.password)
            user.save()
            Membership.objects.get_or_create(user=user, organisation=lead)
            role_grant(actor=None, role=role, grantee=user, obj=obj)
            self.created["Bench-Konten"] += int(created)


class Command(BaseCommand):
    help = "Erzeugt synthetische Lasttest-Daten (Maßnahmen, Berichte, Rechte) in jeder Größe."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--measures", type=int, default=500, help="Anzahl der Maßnahmen")
        parser.add_argument(
            "--reports-per-measure", type=int, default=10, help="Statusberichte je Maßnahme (~)"
        )
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufalls")
        parser.add_argument(
            "--password", default="bench", help="Passwort der Konten bench-koordination, …"
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--force", action="store_true", help="auch mit DEBUG aus (nur Lasttest-Datenbanken!)"
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG ist aus: seedbench schreibt Testdaten und Konten mit bekanntem Passwort. "
                "Nur für Lasttest-Datenbanken, dort mit --force."
            )
        if options["measures"] < 1 or options["reports_per_measure"] < 1:
            raise CommandError("--measures und --reports-per-measure müssen mindestens 1 sein.")
        started = time.perf_counter()
        seeder = Seeder(
            measures=options["measures"],
            reports=options["reports_per_measure"],
            seed=options["seed"],
            password=options["password"],
            batch_size=options["batch_size"],
        )
        with transaction.atomic():
            seeder.run()
        # Bulk inserts send no signals: invalidate the cached public pages by hand.
        bump_everything()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Lasttest-Daten in {elapsed:.1f} s angelegt:"))
        for label, count in seeder.created.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"Konten {COORDINATOR} (Koordination) und {EDITOR} (Redaktion {EDITOR_FIELD}), "
            f"Passwort aus --password."
        )
