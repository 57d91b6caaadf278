"""What comments can be attached to, and who may read and write them there.

This app knows no domain model. Each app that wants comments on its objects registers a
``Target`` (sections, goals, measures …); the one ``Policy`` says who may read, write and
moderate comments in a scope (for the charta: a Handlungsfeld). Both are registered when
the apps start (their ``AppConfig.ready``).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from core.parsing import parse_id

# (anchor, text) of each paragraph a comment may point at.
Paragraphs = Sequence[tuple[str, str]] | Sequence[list[str]]


@dataclass(frozen=True)
class Anchorable:
    """The text of a target that comments may point at: a revision number and its paragraphs."""

    revision: int
    paragraphs: Paragraphs


@dataclass(frozen=True)
class Target:
    kind: str
    model: type[models.Model]
    # The permission scope of an object (see Policy), and the objects a user may see.
    scope: Callable[[models.Model], int]
    visible_to: Callable[[object], models.QuerySet]
    # The text comments may point at, or None (the target has no paragraphs).
    anchorable: Callable[[models.Model], Anchorable | None] = lambda obj: None
    # Called after a comment on such an object was written: the domain decides who is told.
    on_comment: Callable[[object, models.Model, object], None] | None = None
    # The address of one revision of the object's text (where an orphaned anchor was made).
    revision_url: Callable[[models.Model, int], str] | None = None


@dataclass(frozen=True)
class Policy:
    """Who may do what with comments in a scope; supplied by the domain that owns the scopes."""

    # A Q on the comments whose scope (under the given lookup) the user may read.
    read_filter: Callable[[object, str], Q]
    may_read: Callable[[object, int], bool]
    may_comment: Callable[[object, int], bool]
    # Besides a comment's author: who may resolve and reopen comments in the scope.
    may_resolve: Callable[[object, int], bool]
    may_moderate: Callable[[object, int], bool]
    # The people who moderate comments in a scope: told when a comment there is reported.
    moderators: Callable[[int], Iterable] = lambda scope: ()
    # Whether a person moderates in any scope (opens the moderation queue).
    moderates_anywhere: Callable[[object], bool] = lambda user: False


_TARGETS: dict[str, Target] = {}
_POLICY: list[Policy] = []


def register(target: Target) -> None:
    _TARGETS[target.kind] = target


def register_policy(policy: Policy) -> None:
    _POLICY[:] = [policy]


def policy() -> Policy:
    if not _POLICY:
        raise LookupError("no comment policy is registered")
    return _POLICY[0]


def kinds() -> list[str]:
    return list(_TARGETS)


def all_targets() -> list[Target]:
    return list(_TARGETS.values())


def target_for_model(model: type[models.Model]) -> Target:
    for target in _TARGETS.values():
        if target.model is model:
            return target
    raise KeyError(model)


def target_of(obj: models.Model) -> Target:
    return target_for_model(type(obj))


class BadReference(ValueError):
    pass


def parse(reference: str) -> tuple[Target, int]:
    """``"section:12"`` → (section target, 12); BadReference with a readable message."""
    kind, _sep, text = (reference or "").partition(":")
    pk = parse_id(text)
    if kind not in _TARGETS or pk is None:
        raise BadReference(
            _("Ungültiges Ziel „%(ref)s“. Erwartet z. B. %(examples)s.")
            % {"ref": (reference or "")[:60], "examples": ", ".join(f"{k}:1" for k in _TARGETS)}
        )
    return _TARGETS[kind], pk


def resolve(user, reference: str) -> models.Model:
    """The object a reference names, if the user may see it; Http404 otherwise."""
    target, pk = parse(reference)
    try:
        return target.visible_to(user).get(pk=pk)
    except target.model.DoesNotExist:
        raise Http404 from None


def reference(obj: models.Model) -> str:
    return f"{target_of(obj).kind}:{obj.pk}"


def content_type_filter(reference_str: str) -> dict:
    target, pk = parse(reference_str)
    return {"content_type": ContentType.objects.get_for_model(target.model), "object_id": pk}


def kinds_by_content_type() -> dict[int, str]:
    """Content type id → kind, for writing references without a query per comment."""
    return {
        ContentType.objects.get_for_model(target.model).pk: target.kind for target in all_targets()
    }
