"""What comments can be attached to: sections here, goals and measures registered by their app.

The registry keeps the import direction (measures imports charta, never the reverse).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Target:
    kind: str
    model: type[models.Model]
    # The Handlungsfeld id of an object, and the objects a user may see.
    action_field_id: Callable[[models.Model], int]
    visible_to: Callable[[object], models.QuerySet]


_TARGETS: dict[str, Target] = {}


def register(target: Target) -> None:
    _TARGETS[target.kind] = target


def kinds() -> list[str]:
    return list(_TARGETS)


def all_targets() -> list[Target]:
    return list(_TARGETS.values())


def target_for_model(model: type[models.Model]) -> Target:
    for target in _TARGETS.values():
        if target.model is model:
            return target
    raise KeyError(model)


class BadReference(ValueError):
    pass


def parse(reference: str) -> tuple[Target, int]:
    """``"section:12"`` → (section target, 12); BadReference with a readable message."""
    kind, _sep, pk = (reference or "").partition(":")
    # ASCII digits only: str.isdigit() also accepts "²" or "١", which int() refuses or reads.
    if kind not in _TARGETS or not (pk.isascii() and pk.isdigit()):
        raise BadReference(
            _("Ungültiges Ziel „%(ref)s“. Erwartet z. B. %(examples)s.")
            % {"ref": reference, "examples": ", ".join(f"{k}:1" for k in _TARGETS)}
        )
    return _TARGETS[kind], int(pk)


def resolve(user, reference: str) -> models.Model:
    """The object a reference names, if the user may see it; Http404 otherwise."""
    target, pk = parse(reference)
    try:
        return target.visible_to(user).get(pk=pk)
    except target.model.DoesNotExist:
        raise Http404 from None


def reference(obj: models.Model) -> str:
    return f"{target_for_model(type(obj)).kind}:{obj.pk}"


def content_type_filter(reference_str: str) -> dict:
    target, pk = parse(reference_str)
    return {"content_type": ContentType.objects.get_for_model(target.model), "object_id": pk}
