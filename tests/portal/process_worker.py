"""A separate server process for the invalidation tests: reads commands from stdin, one per
line, and answers one JSON line each. Started by tests/portal/test_invalidation.py with its
own database and the shared stamp directory, like one gunicorn worker of a deployment.

Commands: ``info`` (ids of content the tests use), ``get <reader> <url>`` (reader ``-`` for
anonymous, else a username whose API token is used), ``clear`` (empties this process's page
cache), ``change <name>`` (one of CHANGES), ``quit``.
"""

import hashlib
import json
import sys

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from accounts.models import Organisation, User, WorkingGroup  # noqa: E402
from accounts.roles import RoleName, role_grant, role_revoke  # noqa: E402
from charta.models import ActionField, Section  # noqa: E402
from charta.services import section_save_draft, section_transition  # noqa: E402
from comments.services import comment_create  # noqa: E402
from measures import services  # noqa: E402
from measures.models import (  # noqa: E402
    Goal,
    Indicator,
    Measure,
    ReportingPeriod,
    StatusUpdate,
)
from measures.workflow import ImplementationStatus, PublicationState  # noqa: E402

FIRST, OTHER = "industriepolitik", "qualifizierung-und-weiterbildung"


def person(username: str) -> User:
    return User.objects.get(username=username)


def published_measure(slug: str) -> Measure:
    return (
        Measure.objects.filter(
            goal__action_field__slug=slug,
            state=PublicationState.PUBLISHED,
            goal__state=PublicationState.PUBLISHED,
        )
        .order_by("pk")
        .first()
    )


def _report():
    measure = published_measure(FIRST)
    services.measure_report_status(
        actor=person("koordination"),
        measure=measure,
        status=ImplementationStatus.IN_PROGRESS,
        progress=(measure.progress + 7) % 95,
        note="Neuer Stand aus einem anderen Prozess",
    )


def _rename_measure():
    measure = published_measure(FIRST)
    services.measure_update(
        actor=person("koordination"), measure=measure, title=f"{measure.title} (neu benannt)"
    )


def _publish_measure():
    goal = Goal.objects.filter(action_field__slug=FIRST, state="published").order_by("pk")[0]
    measure = services.measure_create(
        actor=person("redaktion-industrie"),
        goal=goal,
        title="Neue Maßnahme aus einem anderen Prozess",
        owner=goal.owner,
    )
    services.measure_publish(actor=person("koordination"), measure=measure)


def _move_measure():
    measure = published_measure(FIRST)
    goal = Goal.objects.filter(action_field__slug=OTHER, state="published").order_by("pk")[0]
    services.measure_update(actor=person("koordination"), measure=measure, goal=goal)


def _publish_text():
    section = Section.objects.get(action_field__slug=FIRST)
    editor, reviewer = person("redaktion-industrie"), person("pruefung-industrie")
    latest = section.current_revision
    revision = section_save_draft(
        actor=editor,
        section=section,
        body=latest.body + "\n\nEin neuer Absatz aus einem anderen Prozess.",
        base_revision=latest.number,
    )
    section.refresh_from_db()
    section_transition(actor=editor, section=section, action="submit")
    section_transition(
        actor=reviewer, section=section, action="approve", override=True, note="passt"
    )
    section_transition(
        actor=person("koordination"),
        section=section,
        action="publish",
        base_revision=revision.number,
    )


def _rename_organisation():
    organisation = Organisation.objects.get(slug="amz")
    organisation.name = organisation.name + " (umbenannt)"
    organisation.save()


def _rename_field():
    field = ActionField.objects.get(slug=OTHER)
    field.title = field.title + " (neu)"
    field.save()


def _rename_person():
    user = person("redaktion-industrie")
    user.last_name = "Redaktion (umbenannt)"
    user.save()


def _grant_role():
    role_grant(
        actor=person("koordination"),
        role=RoleName.EDITOR,
        grantee=person("partner"),
        obj=ActionField.objects.get(slug=OTHER),
    )


def _revoke_role():
    role_revoke(
        actor=person("koordination"),
        role=RoleName.PARTNER,
        grantee=person("partner"),
    )


def _join_working_group():
    role_grant(
        actor=person("koordination"),
        role=RoleName.WORKING_GROUP_MEMBER,
        grantee=person("partner"),
        obj=WorkingGroup.objects.get(slug="ag-qualifizierung"),
    )


def _milestone():
    measure = published_measure(FIRST)
    services.milestone_add(
        actor=person("koordination"),
        measure=measure,
        title="Meilenstein aus einem anderen Prozess",
        due_date=measure.deadline or django.utils.timezone.localdate(),
    )


def _comment():
    goal = Goal.objects.filter(action_field__slug=FIRST, state="published").order_by("pk")[0]
    comment_create(
        actor=person("pruefung-industrie"), target=goal, body="Ein Kommentar, nicht öffentlich."
    )


def _indicator_value():
    indicator = Indicator.objects.filter(goal__action_field__slug=FIRST).order_by("pk")[0]
    services.indicator_record_value(
        actor=person("koordination"),
        indicator=indicator,
        date=django.utils.timezone.localdate(),
        value=indicator.target_value - 1,
        note="Neuer Wert aus einem anderen Prozess",
    )


def _change_indicator_target():
    indicator = Indicator.objects.filter(goal__action_field__slug=FIRST).order_by("pk")[0]
    services.indicator_update(
        actor=person("koordination"), indicator=indicator, target_value=indicator.target_value + 5
    )


def _acknowledge():
    update = (
        StatusUpdate.objects.filter(
            measure__goal__action_field__slug=FIRST, acknowledged_at__isnull=True
        )
        .exclude(author__username="redaktion-industrie")
        .order_by("pk")[0]
    )
    services.status_update_acknowledge(actor=person("redaktion-industrie"), update=update)


def _depend():
    first, second = Measure.objects.filter(goal__action_field__slug=FIRST).order_by("-pk")[:2]
    services.measure_update(
        actor=person("koordination"), measure=first, depends_on=[*first.depends_on.all(), second]
    )


def _close_period():
    today = django.utils.timezone.localdate()
    period = services.period_create(
        actor=person("koordination"), title="Zwischenstand", start=today, end=today
    )
    services.period_close(actor=person("koordination"), period=period)


def _reopen_and_close_period():
    period = ReportingPeriod.objects.filter(state="closed").order_by("pk")[0]
    services.period_reopen(actor=person("koordination"), period=period, reason="Nachmeldung")
    services.period_close(actor=person("koordination"), period=period)


CHANGES = {
    "indicator_value": _indicator_value,
    "indicator_target": _change_indicator_target,
    "acknowledge": _acknowledge,
    "depend": _depend,
    "close_period": _close_period,
    "reopen_period": _reopen_and_close_period,
    "report": _report,
    "rename_measure": _rename_measure,
    "publish_measure": _publish_measure,
    "move_measure": _move_measure,
    "publish_text": _publish_text,
    "rename_organisation": _rename_organisation,
    "rename_field": _rename_field,
    "rename_person": _rename_person,
    "grant_role": _grant_role,
    "revoke_role": _revoke_role,
    "join_working_group": _join_working_group,
    "milestone": _milestone,
    "comment": _comment,
}


def info() -> dict:
    """Ids of published content in the two fields the tests look at."""

    def goal(slug):
        return Goal.objects.filter(action_field__slug=slug, state="published").order_by("pk")[0]

    return {
        "first_measure": published_measure(FIRST).pk,
        "other_measure": published_measure(OTHER).pk,
        "first_goal": goal(FIRST).pk,
        "other_goal": goal(OTHER).pk,
        "first_section": Section.objects.get(action_field__slug=FIRST).pk,
        "other_section": Section.objects.get(action_field__slug=OTHER).pk,
        "closed_period": ReportingPeriod.objects.filter(state="closed").order_by("pk")[0].pk,
    }


def client_for(reader: str) -> Client:
    if reader == "-":
        return Client()
    token, _created = Token.objects.get_or_create(user=person(reader))
    return Client(headers={"Authorization": f"Token {token.key}"})


def main() -> None:
    clients: dict[str, Client] = {}
    for line in sys.stdin:
        command, *args = line.split()
        if command == "quit":
            break
        if command == "clear":
            cache.clear()
            answer = {"ok": True}
        elif command == "change":
            CHANGES[args[0]]()
            answer = {"ok": True}
        elif command == "info":
            answer = info()
        elif command == "get":
            reader, url = args
            client = clients.setdefault(reader, client_for(reader))
            reset_queries()
            response = client.get(url)
            answer = {
                "status": response.status_code,
                "sha": hashlib.sha256(response.content).hexdigest(),
                "queries": len(connection.queries),
            }
        else:
            answer = {"error": f"unknown command {command}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
