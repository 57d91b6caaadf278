"""seedbench: proportional synthetic data whose denormalised status matches its history."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from accounts.models import Organisation, User, WorkingGroup
from charta.models import Charta, Section
from comments.models import Comment
from measures.models import (
    Goal,
    Measure,
    MeasureGroupObjectPermission,
    MeasureParty,
    StatusUpdate,
)
from measures.permissions import can_report_status, measures_visible_to
from measures.workflow import PublicationState
from tests.factories import ensure_seeded_fields

MEASURES = 60


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    ensure_seeded_fields()
    out = io.StringIO()
    call_command("seedbench", measures=MEASURES, reports_per_measure=10, seed=3, stdout=out)
    return out.getvalue()


def test_seedbench_creates_rows_in_proportion(seeded):
    assert Measure.objects.count() == MEASURES
    assert Organisation.objects.count() >= 10
    assert WorkingGroup.objects.count() >= 5
    assert Goal.objects.count() == 12
    assert set(Goal.objects.values_list("action_field__number", flat=True)) == {1, 2, 3, 4, 5}
    assert Comment.objects.count() == 6
    assert not Comment.objects.filter(scope=None).exists()
    assert Comment.objects.exclude(body_html="").count() == 6
    reports = StatusUpdate.objects.count()
    assert MEASURES * 3 <= reports <= MEASURES * 12
    assert MeasureParty.objects.filter(role=MeasureParty.Role.LEAD).count() == MEASURES
    published = Measure.objects.filter(state=PublicationState.PUBLISHED).count()
    assert 0.6 * MEASURES <= published < MEASURES
    assert Charta.objects.filter(is_current=True).exists()
    assert Section.objects.exclude(published_revision=None).count() == 5
    assert "Maßnahmen: 60" in seeded and " s angelegt" in seeded


def test_every_measure_carries_the_status_of_its_latest_report(seeded):
    for measure in Measure.objects.annotate(reports=Count("status_updates")):
        latest = measure.status_updates.order_by("-created_at", "-id").first()
        assert measure.reports >= 1
        assert (measure.status, measure.progress) == (latest.status, latest.progress)
        assert measure.last_reported_at == latest.created_at
        assert (
            measure.created_at <= measure.status_updates.order_by("created_at").first().created_at
        )


def test_reports_are_backdated_history(seeded):
    newest = StatusUpdate.objects.order_by("-created_at").first().created_at
    oldest = StatusUpdate.objects.order_by("created_at").first().created_at
    assert (newest - oldest).days > 100


def test_working_group_members_may_report_on_their_measures(seeded):
    measure = Measure.objects.exclude(working_group=None).first()
    grant = MeasureGroupObjectPermission.objects.get(
        content_object=measure, group=measure.working_group.group
    )
    assert grant.permission.codename == "report_status"
    member = User.objects.filter(groups=measure.working_group.group).first()
    assert member is not None
    assert can_report_status(member, measure)
    outsider = User.objects.exclude(groups=measure.working_group.group).exclude(
        username="bench-koordination"
    )
    stranger = next(u for u in outsider if not can_report_status(u, measure))
    assert not can_report_status(stranger, measure)


def test_bench_accounts_have_the_given_password_and_their_roles(seeded):
    coordinator = User.objects.get(username="bench-koordination")
    editor = User.objects.get(username="bench-redaktion")
    assert coordinator.check_password("bench") and editor.check_password("bench")
    assert can_report_status(coordinator, Measure.objects.first())
    assert measures_visible_to(editor).count() > measures_visible_to(AnonymousUser()).count()


def test_seedbench_refuses_without_debug(db, settings):
    settings.DEBUG = False
    ensure_seeded_fields()
    with pytest.raises(CommandError, match="--force"):
        call_command("seedbench", measures=5, stdout=io.StringIO())
    assert not Measure.objects.exists()


def test_seedbench_runs_with_force_when_debug_is_off(db, settings):
    settings.DEBUG = False
    ensure_seeded_fields()
    call_command("seedbench", measures=5, force=True, stdout=io.StringIO())
    assert Measure.objects.count() == 5
