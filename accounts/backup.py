"""What a complete database holds: row counts per table and the newest history rows."""

from django.apps import apps
from django.db.models import Max

# Rows that may legitimately differ between the dump and the check (sessions expire,
# login attempts are cleaned up, the task queue drains).
VOLATILE = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}
VOLATILE_APPS = {"django_tasks_db"}


def manifest() -> dict:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in VOLATILE
        and model._meta.app_label not in VOLATILE_APPS
        and model._meta.managed
        and not model._meta.proxy
    }
    Revision = apps.get_model("charta", "Revision")
    latest = Revision.objects.values("section_id").annotate(number=Max("number"))
    return {
        "counts": counts,
        "latest_revisions": {str(row["section_id"]): row["number"] for row in latest},
    }


def compare(expected: dict, actual: dict) -> list[str]:
    problems = []
    for label, count in sorted(expected["counts"].items()):
        found = actual["counts"].get(label)
        if found is None:
            problems.append(f"{label}: table missing")
        elif found != count:
            problems.append(f"{label}: {found} rows, expected {count}")
    for section, number in sorted(expected["latest_revisions"].items()):
        found = actual["latest_revisions"].get(section)
        if found != number:
            problems.append(f"section {section}: latest revision {found}, expected {number}")
    return problems
