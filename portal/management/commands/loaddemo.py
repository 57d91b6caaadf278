"""Load the demo data (idempotent): partners, demo accounts, the charta 2024, goals, measures.

The content lives in portal/demo.py; this command plays it through the services, as the
demo users who hold the matching roles, so that authorship and history look real. Objects
are looked up by natural keys (slugs, usernames, titles); histories (revisions, workflow
steps, status reports) are only written for objects created in this run.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts.models import Organisation, User, WorkingGroup
from accounts.roles import role_grant
from accounts.services import (
    membership_add,
    organisation_create,
    user_create,
    user_set_password,
    working_group_create,
)
from charta.models import ActionField, Charta, Revision, Section
from charta.permissions import forget_permissions
from charta.services import (
    charta_create,
    section_create,
    section_save_draft,
    section_transition,
    suggestion_create,
)
from comments.models import Comment
from comments.services import comment_create, comment_set_state
from measures.models import Goal, Indicator, Measure, ReportingPeriod, StatusUpdate
from measures.services import (
    goal_create,
    goal_publish,
    indicator_create,
    indicator_record_value,
    measure_create,
    measure_publish,
    measure_report_status,
    measure_update,
    period_close,
    period_create,
    status_update_acknowledge,
)
from measures.workflow import PublicationState
from portal import demo

LABELS = {
    "organisations": "Organisationen",
    "working_groups": "Arbeitsgruppen",
    "accounts": "Demo-Konten",
    "charta": "Charta-Ausgabe",
    "sections": "Abschnitte",
    "revisions": "Revisionen",
    "suggestions": "Änderungsvorschläge",
    "goals": "Ziele",
    "measures": "Maßnahmen",
    "reports": "Statusberichte",
    "comments": "Kommentare",
    "indicators": "Indikatoren",
    "indicator_values": "Indikatorwerte",
    "acknowledgements": "Bestätigte Berichte",
    "periods": "Berichtszeiträume",
}


def demo_password() -> str:
    """The demo accounts' password; the well-known default only with debug on."""
    password = getattr(settings, "DEMO_PASSWORD", "") or demo.DEFAULT_PASSWORD
    if not settings.DEBUG and password == demo.DEFAULT_PASSWORD:
        raise CommandError(
            "DEBUG ist aus: loaddemo setzt das Standardpasswort „demo“ nicht. "
            "Bitte DEMO_PASSWORD auf ein eigenes Passwort setzen."
        )
    return password


class Command(BaseCommand):
    help = "Lädt die Demo-Daten (ITAS-Charta 2024, Partner, Demo-Konten, Ziele, Maßnahmen)."

    def handle(self, *args, **options) -> None:
        loader = DemoLoader(password=demo_password(), today=timezone.localdate())
        with transaction.atomic():
            loader.load()
        self.stdout.write(self.style.SUCCESS("Demo-Daten geladen."))
        for key, label in LABELS.items():
            created, existing = loader.created[key], loader.existing[key]
            line = f"  {label}: {created} neu angelegt"
            if existing:
                line += f", {existing} bereits vorhanden"
            self.stdout.write(line)
        if getattr(settings, "DEMO_PASSWORD", ""):
            hint = "Passwort aus DEMO_PASSWORD"
        else:
            hint = f"Passwort „{demo.DEFAULT_PASSWORD}“"
        names = ", ".join(account.username for account in demo.ACCOUNTS)
        self.stdout.write(f"Demo-Konten ({hint}): {names}")


class DemoLoader:
    def __init__(self, *, password: str, today: datetime.date) -> None:
        self.password = password
        self.today = today
        self.now = timezone.now()
        self.created: defaultdict[str, int] = defaultdict(int)
        self.existing: defaultdict[str, int] = defaultdict(int)
        self.organisations: dict[str, Organisation] = {}
        self.working_groups: dict[str, WorkingGroup] = {}
        self.users: dict[str, User] = {}
        self.fields: dict[str, ActionField] = {}
        self.sections: dict[str, Section] = {}
        self.goals: dict[str, Goal] = {}
        self.measures: dict[str, Measure] = {}

    def _count(self, key: str, created: bool) -> None:
        (self.created if created else self.existing)[key] += 1

    def load(self) -> None:
        self.fields = {f.slug: f for f in ActionField.objects.filter(slug__in=demo.SECTIONS)}
        missing = set(demo.SECTIONS) - set(self.fields)
        if missing:
            raise CommandError(
                "Handlungsfelder fehlen (erst „migrate“ ausführen): " + ", ".join(sorted(missing))
            )
        self.load_organisations()
        self.load_working_groups()
        self.load_accounts()
        charta = self.load_charta()
        self.load_sections(charta)
        self.load_goals()
        self.load_comments()
        self.load_indicators()
        self.load_dependencies()
        self.load_acknowledgements()
        self.load_periods()

    # --- partners and people ------------------------------------------------------------

    def load_organisations(self) -> None:
        for spec in demo.ORGANISATIONS:
            organisation = Organisation.objects.filter(
                Q(slug=spec.slug) | Q(name=spec.name)
            ).first()
            created = organisation is None
            if created:
                # Only one lead partner: keep the one someone already named.
                is_lead = spec.is_lead and not Organisation.objects.filter(is_lead=True).exists()
                organisation = organisation_create(
                    actor=None,
                    slug=spec.slug,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    website=spec.website,
                    description=spec.description,
                    is_lead=is_lead,
                )
            self._count("organisations", created)
            self.organisations[spec.slug] = organisation

    def load_working_groups(self) -> None:
        for spec in demo.WORKING_GROUPS:
            group = WorkingGroup.objects.filter(Q(slug=spec.slug) | Q(name=spec.name)).first()
            created = group is None
            if created:
                group = working_group_create(
                    actor=None,
                    name=spec.name,
                    slug=spec.slug,
                    description=spec.description,
                    organisation=self.organisations[spec.organisation],
                )
            self._count("working_groups", created)
            self.working_groups[spec.slug] = group

    def load_accounts(self) -> None:
        for spec in demo.ACCOUNTS:
            user = User.objects.filter(username=spec.username).first()
            created = user is None
            if created:
                user = user_create(
                    actor=None,
                    username=spec.username,
                    email=spec.email,
                    password=self.password,
                    first_name="Demo",
                    last_name=spec.last_name,
                )
            else:
                # Reset on every run, so that a changed DEMO_PASSWORD takes effect.
                user_set_password(actor=None, user=user, password=self.password)
            self._count("accounts", created)
            membership_add(
                actor=None,
                user=user,
                organisation=self.organisations[spec.organisation],
                position=spec.position,
            )
            scope: Model | None = None
            if spec.action_field:
                scope = self.fields[spec.action_field]
            elif spec.working_group:
                scope = self.working_groups[spec.working_group]
            # Granting a role twice is harmless.
            role_grant(actor=None, role=spec.role, grantee=user, obj=scope)
            forget_permissions(user)
            self.users[spec.username] = user

    # --- the charta -----------------------------------------------------------------------

    def load_charta(self) -> Charta:
        charta = Charta.objects.filter(slug=demo.CHARTA_SLUG).first()
        created = charta is None
        if created:
            charta = charta_create(
                actor=None,
                slug=demo.CHARTA_SLUG,
                title=demo.CHARTA_TITLE,
                year=demo.CHARTA_YEAR,
                preamble=demo.CHARTA_PREAMBLE,
            )
        self._count("charta", created)
        return charta

    def load_sections(self, charta: Charta) -> None:
        for slug, steps in demo.SECTIONS.items():
            field = self.fields[slug]
            section = Section.objects.filter(charta=charta, action_field=field).first()
            created = section is None
            if created:
                section = section_create(actor=None, charta=charta, action_field=field)
            self.sections[slug] = section
            if created:
                self._play(section, steps)
            else:
                # A history is written once; its comments are only counted when still there.
                for step in steps:
                    if step.action == demo.COMMENT:
                        self.load_comment(step.comment, parent=None, create=False)
            self._count("sections", created)

    def _play(self, section: Section, steps: tuple[demo.Step, ...]) -> None:
        latest: int | None = None
        for step in steps:
            actor = self.users[step.actor]
            if step.action == demo.COMMENT:
                self.load_comment(step.comment, parent=None)
            elif step.action == demo.SUGGEST:
                suggestion_create(
                    actor=actor,
                    section=section,
                    base_revision=latest,
                    quote=step.body,
                    replacement=step.replacement,
                    reason=step.note,
                )
                self._count("suggestions", True)
            elif step.action == demo.SAVE:
                revision = section_save_draft(
                    actor=actor,
                    section=section,
                    body=step.body,
                    base_revision=latest,
                    message=step.note,
                )
                latest = revision.number
                self._count("revisions", True)
            else:
                section_transition(
                    actor=actor,
                    section=section,
                    action=step.action,
                    base_revision=latest,
                    note=step.note,
                )

    def _paragraph(self, slug: str, citation: demo.Citation) -> tuple[Revision, str]:
        """The revision and the anchor of the paragraph that contains the cited text."""
        revision = Revision.objects.get(section=self.sections[slug], number=citation.revision)
        return revision, self._paragraph_in(revision, citation.text)

    @staticmethod
    def _paragraph_in(revision: Revision, wanted: str) -> str:
        # The anchors stored with the revision, which comment_create checks against.
        for anchor, text in revision.paragraphs:
            if wanted in text:
                return anchor
        raise CommandError(f"Kein Absatz mit „{wanted}“ in {revision}.")

    # --- goals and measures -------------------------------------------------------------

    def load_goals(self) -> None:
        coordinator = self.users[demo.COORDINATOR]
        for spec in demo.GOALS:
            field = self.fields[spec.action_field]
            goal = Goal.objects.filter(action_field=field, title=spec.title).first()
            created = goal is None
            if created:
                source_revision, source_paragraph = None, ""
                if spec.cites is not None:
                    source_revision, source_paragraph = self._paragraph(
                        spec.action_field, spec.cites
                    )
                years, month, day = spec.target
                # Editors draft goals; only coordinators publish them.
                goal = goal_create(
                    actor=self.users[spec.author],
                    action_field=field,
                    title=spec.title,
                    owner=self.organisations[spec.owner],
                    description=spec.description,
                    indicator=spec.indicator,
                    target_date=datetime.date(self.today.year + years, month, day),
                    source_revision=source_revision,
                    source_paragraph=source_paragraph,
                )
                if spec.state == PublicationState.PUBLISHED:
                    goal_publish(actor=coordinator, goal=goal)
            self._count("goals", created)
            self.goals[spec.title] = goal
            for measure_spec in spec.measures:
                self.load_measure(goal, measure_spec, author=self.users[spec.author])

    def load_measure(self, goal: Goal, spec: demo.MeasureData, *, author: User) -> None:
        measure = Measure.objects.filter(goal=goal, title=spec.title).first()
        created = measure is None
        if created:
            measure = measure_create(
                actor=author,
                goal=goal,
                title=spec.title,
                owner=self.organisations[spec.owner],
                description=spec.description,
                working_group=self.working_groups.get(spec.working_group),
                start_date=self.today + datetime.timedelta(days=spec.start),
                deadline=self.today + datetime.timedelta(days=spec.deadline),
                priority=spec.priority,
                partners=[self.organisations[slug] for slug in spec.partners],
            )
            if spec.state == PublicationState.PUBLISHED:
                measure_publish(actor=self.users[demo.COORDINATOR], measure=measure)
            # Oldest first: the latest report is the measure's current status.
            for report in sorted(spec.reports, key=lambda r: -r.days_ago):
                measure_report_status(
                    actor=self.users[report.author],
                    measure=measure,
                    status=report.status,
                    progress=report.progress,
                    note=report.note,
                    reported_at=self.now - datetime.timedelta(days=report.days_ago),
                )
                self._count("reports", True)
        self._count("measures", created)
        self.measures[spec.title] = measure

    # --- indicators, dependencies, acknowledgements, periods ----------------------------

    def _day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def load_indicators(self) -> None:
        for spec in demo.INDICATORS:
            goal = Goal.objects.get(title=spec.goal)
            indicator = Indicator.objects.filter(goal=goal, title=spec.title).first()
            created = indicator is None
            if created:
                indicator = indicator_create(
                    actor=self.users[demo.COORDINATOR],
                    goal=goal,
                    title=spec.title,
                    unit=spec.unit,
                    direction=spec.direction,
                    baseline_value=Decimal(str(spec.baseline[1])),
                    baseline_date=self._day(spec.baseline[0]),
                    target_value=Decimal(str(spec.target[1])),
                    target_date=self._day(spec.target[0]),
                )
                for offset, value, note in spec.values:
                    indicator_record_value(
                        actor=self.users[spec.author],
                        indicator=indicator,
                        date=self._day(offset),
                        value=Decimal(str(value)),
                        note=note,
                    )
                    self._count("indicator_values", True)
            self._count("indicators", created)

    def load_dependencies(self) -> None:
        for successor, predecessor in demo.DEPENDENCIES:
            after = Measure.objects.get(title=successor)
            before = Measure.objects.get(title=predecessor)
            if not after.depends_on.filter(pk=before.pk).exists():
                measure_update(
                    actor=self.users[demo.COORDINATOR],
                    measure=after,
                    depends_on=[*after.depends_on.all(), before],
                )

    def load_acknowledgements(self) -> None:
        """Older reports are acknowledged a few days after they came in (by the field's editor
        where there is one, else by the deputy coordinator); recent ones still wait."""
        cutoff = self.now - datetime.timedelta(days=demo.ACKNOWLEDGED_AFTER_DAYS)
        waiting = StatusUpdate.objects.filter(
            acknowledged_at__isnull=True, created_at__lt=cutoff
        ).select_related("measure__goal__action_field", "author")
        for update in waiting:
            field = update.measure.goal.action_field.slug
            acknowledger = self.users[
                demo.EDITOR if field == demo.INDUSTRY and update.author.username != demo.EDITOR
                else demo.DEPUTY
            ]  # fmt: skip
            if acknowledger.pk == update.author_id:
                acknowledger = self.users[demo.COORDINATOR]
            status_update_acknowledge(actor=acknowledger, update=update)
            StatusUpdate.objects.filter(pk=update.pk).update(
                acknowledged_at=update.created_at + datetime.timedelta(days=3)
            )
            self._count("acknowledgements", True)

    def load_periods(self) -> None:
        coordinator = self.users[demo.COORDINATOR]
        for spec in demo.PERIODS:
            period = ReportingPeriod.objects.filter(title=spec.title).first()
            created = period is None
            if created:
                period = period_create(
                    actor=coordinator,
                    title=spec.title,
                    start=self._day(spec.start),
                    end=self._day(spec.end),
                )
                if spec.closed:
                    period_close(actor=coordinator, period=period)
            self._count("periods", created)

    # --- comments -----------------------------------------------------------------------

    def _target(self, kind: str, key: str) -> Model:
        if kind == "section":
            # Fresh, with the current revision: paragraph anchors refer to its text.
            return Section.objects.select_related("current_revision").get(pk=self.sections[key].pk)
        if kind == "goal":
            return self.goals[key]
        return self.measures[key]

    def load_comments(self) -> None:
        for spec in demo.COMMENTS:
            self.load_comment(spec, parent=None)

    def load_comment(
        self, spec: demo.CommentData, *, parent: Comment | None, create: bool = True
    ) -> None:
        target = self._target(*spec.target)
        author = self.users[spec.author]
        comment = Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            author=author,
            body=spec.body,
        ).first()
        created = comment is None
        if created and not create:
            return
        if created:
            paragraph = ""
            if spec.anchor:
                paragraph = self._paragraph_in(target.current_revision, spec.anchor)
            comment = comment_create(
                actor=author, target=target, body=spec.body, parent=parent, paragraph=paragraph
            )
            if spec.resolved_by:
                comment_set_state(
                    actor=self.users[spec.resolved_by],
                    comment=comment,
                    state=Comment.State.RESOLVED,
                )
        self._count("comments", created)
        for reply in spec.replies:
            self.load_comment(reply, parent=comment, create=create)
