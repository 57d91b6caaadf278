"""Who may do what with the charta. Permission strings live here and in accounts/roles.py."""

from django.db.models import Q, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from accounts.roles import RoleName

from .models import (
    ActionField,
    ActionFieldGroupObjectPermission,
    ActionFieldUserObjectPermission,
    Section,
    Suggestion,
)

VIEW_DRAFTS = "view_drafts"
COMMENT = "comment"
EDIT_TEXT = "edit_text"
REVIEW_TEXT = "review_text"
MANAGE_MEASURES = "manage_measures"
PUBLISH = "publish"
MODERATE = "moderate"

_CACHE_ATTR = "_itas_field_perms"


def field_permissions(user, action_field: ActionField | int) -> frozenset[str]:
    """The charta permissions ``user`` holds on a Handlungsfeld, global grants included.

    The first call in a request loads the user's permissions on every field at once (there
    are few fields) and caches them on the user object, so that pages and API lists ask
    the database a fixed number of times however many rows they show.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    field_id = action_field if isinstance(action_field, int) else action_field.pk
    cache = user.__dict__.get(_CACHE_ATTR)
    if cache is None:
        global_perms = frozenset(
            perm.split(".", 1)[1]
            for perm in user.get_all_permissions()
            if perm.startswith("charta.")
        )
        fields = list(ActionField.objects.all())
        if user.is_superuser:
            cache = {field.pk: global_perms for field in fields}
        else:
            checker = ObjectPermissionChecker(user)
            checker.prefetch_perms(fields)
            cache = {
                field.pk: global_perms | frozenset(checker.get_perms(field)) for field in fields
            }
        user.__dict__[_CACHE_ATTR] = cache
    return cache.get(field_id, frozenset())


def forget_permissions(user) -> None:
    """Drop cached permissions after roles changed within the same request or test."""
    for attr in (_CACHE_ATTR, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


def has_field_perm(user, perm: str, action_field: ActionField | int) -> bool:
    return perm in field_permissions(user, action_field)


def fields_with_perm(user, perm: str) -> QuerySet[ActionField]:
    """The Handlungsfelder on which ``user`` holds ``perm``, as a queryset (SQL-side)."""
    if not user.is_authenticated or not user.is_active:
        return ActionField.objects.none()
    return get_objects_for_user(user, f"charta.{perm}", klass=ActionField, accept_global_perms=True)


def can_read_drafts(user, action_field: ActionField | int) -> bool:
    return has_field_perm(user, VIEW_DRAFTS, action_field)


def can_view_section(user, section: Section) -> bool:
    return section.is_published or can_read_drafts(user, section.action_field_id)


def can_edit_section(user, section: Section) -> bool:
    return has_field_perm(user, EDIT_TEXT, section.action_field_id)


def can_comment(user, action_field: ActionField | int) -> bool:
    return has_field_perm(user, COMMENT, action_field)


def can_moderate(user, action_field: ActionField | int) -> bool:
    return has_field_perm(user, MODERATE, action_field)


def section_roles(user, section: Section) -> frozenset[RoleName]:
    """The workflow roles ``user`` holds on ``section`` (see charta/workflow.py)."""
    perms = field_permissions(user, section.action_field_id)
    roles = set()
    if EDIT_TEXT in perms:
        roles.add(RoleName.EDITOR)
    if REVIEW_TEXT in perms:
        roles.add(RoleName.REVIEWER)
    if PUBLISH in perms:
        roles.add(RoleName.COORDINATOR)
    return frozenset(roles)


def draft_filter(user, field_lookup: str = "action_field") -> Q:
    """A Q that matches rows whose Handlungsfeld lets ``user`` read drafts."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm(f"charta.{VIEW_DRAFTS}"):
        return Q(pk__isnull=False)  # everything; an empty Q() would vanish when OR-ed
    return Q(**{f"{field_lookup}__in": fields_with_perm(user, VIEW_DRAFTS).values("pk")})


def sections_visible_to(user) -> QuerySet[Section]:
    """Sections the user may open: published ones, and drafts of fields they may read."""
    return Section.objects.filter(Q(published_revision__isnull=False) | draft_filter(user))


def field_people(action_field: ActionField | int, perms: list[str]):
    """Users who hold any of ``perms`` on the field itself (in person or through a group);
    global holders such as coordinators are not listed: they are not "of the field"."""
    field = (
        action_field
        if isinstance(action_field, ActionField)
        else ActionField.objects.get(pk=action_field)
    )
    return get_users_with_perms(
        field, only_with_perms_in=perms, with_group_users=True, with_superusers=False
    )


def global_people(perm: str):
    """Active users who hold the charta permission ``perm`` globally (coordinators), in
    person or through a group; superusers only when they were given it."""
    from accounts.models import User

    holds = {"codename": perm, "content_type__app_label": "charta"}
    return (
        User.objects.filter(
            Q(**{f"groups__permissions__{k}": v for k, v in holds.items()})
            | Q(**{f"user_permissions__{k}": v for k, v in holds.items()}),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def fields_without_holders(perm: str) -> QuerySet[ActionField]:
    """The Handlungsfelder where nobody holds ``perm`` as a role of the field (no reviewers of
    their own, say): there the global holders, the coordinators, step in."""
    codename = {"permission__codename": perm, "permission__content_type__app_label": "charta"}
    return ActionField.objects.exclude(
        pk__in=ActionFieldUserObjectPermission.objects.filter(**codename).values(
            "content_object_id"
        )
    ).exclude(
        pk__in=ActionFieldGroupObjectPermission.objects.filter(**codename).values(
            "content_object_id"
        )
    )


def reviewers_of(action_field: ActionField | int) -> list:
    """Who reviews a field's texts: its reviewers, or the coordinators when it has none."""
    people = list(field_people(action_field, [REVIEW_TEXT]))
    return people or list(global_people(REVIEW_TEXT))


def moderators(action_field: ActionField | int) -> list:
    """Who moderates comments in a Handlungsfeld: the coordinators and anyone holding the
    right on the field itself."""
    people = {user.pk: user for user in global_people(MODERATE)}
    people.update({user.pk: user for user in field_people(action_field, [MODERATE])})
    return list(people.values())


def moderates_anywhere(user) -> bool:
    return user.is_authenticated and fields_with_perm(user, MODERATE).exists()


def published_revision_ids():
    """The published revision of every section, as a subquery: the only text the public reads."""
    return Section.objects.filter(published_revision__isnull=False).values("published_revision")


def can_resolve_comments(user, action_field: ActionField | int) -> bool:
    """Besides a comment's author, the field's editors and the coordinators settle comments."""
    return bool(field_permissions(user, action_field) & {EDIT_TEXT, MODERATE})


def can_suggest(user, section: Section) -> bool:
    """Whoever may comment on a section may propose changes to its text."""
    return can_view_section(user, section) and can_comment(user, section.action_field_id)


def can_decide_suggestions(user, section: Section) -> bool:
    """The editors of the field (and the coordinators) accept or reject suggestions."""
    return can_edit_section(user, section)


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """Suggestions are seen where comments are: by those who may read the field's drafts."""
    return Suggestion.objects.filter(draft_filter(user, "section__action_field"))
