"""Everything that changes the charta goes through these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import permissions, rendering
from .errors import EditConflict
from .models import ActionField, Charta, Revision, Section, SectionEvent
from .workflow import STATUS_AFTER_SAVE, Action, TransitionError, check_transition


def _locked(section: Section) -> Section:
    return (
        Section.objects.select_for_update()
        .select_related("current_revision", "action_field")
        .get(pk=section.pk)
    )


def section_create(
    *, actor: User | None, charta: Charta, action_field: ActionField, title: str = ""
) -> Section:
    """Open the section of a Handlungsfeld in an edition (coordinators; None: system)."""
    if actor is not None and not permissions.has_field_perm(
        actor, permissions.PUBLISH, action_field
    ):
        raise PermissionDenied(_("Nur die Koordination legt Abschnitte an."))
    section = Section(charta=charta, action_field=action_field, title=title or action_field.title)
    section.full_clean()
    section.save()
    return section


def section_save_draft(
    *, actor: User, section: Section, body: str, base_revision: int | None, message: str = ""
) -> Revision:
    """Save a new revision of the section's text and put the section back to draft.

    ``base_revision`` is the number of the revision the text was based on (None for the
    first text); if another revision landed meanwhile, EditConflict is raised and nothing
    is written.
    """
    try:
        with transaction.atomic():
            section = _locked(section)
            if not permissions.can_edit_section(actor, section):
                raise PermissionDenied(_("Sie dürfen den Text dieses Abschnitts nicht bearbeiten."))
            current = section.current_revision
            latest = current.number if current else None
            if base_revision != latest:
                raise EditConflict(
                    section=section, base_revision=base_revision, latest_revision=latest
                )
            if current is not None and current.body == body:
                raise ValidationError({"body": _("Der Text ist unverändert.")})
            rendered = rendering.render(body)
            revision = Revision(
                section=section,
                number=(latest or 0) + 1,
                body=body,
                body_html=rendered.html,
                message=message.strip(),
                author=actor,
            )
            revision.full_clean(exclude=["section"])
            if not body.strip():
                raise ValidationError({"body": _("Der Text darf nicht leer sein.")})
            revision.save()
            section.current_revision = revision
            section.status = STATUS_AFTER_SAVE
            # Reviewers approved the earlier text, not this one.
            section.approved_revision = None
            section.submitted_by = None
            section.save(
                update_fields=[
                    "current_revision",
                    "status",
                    "approved_revision",
                    "submitted_by",
                    "updated_at",
                ]
            )
    except IntegrityError:
        # A concurrent writer took the same revision number first (SQLite has no row lock).
        fresh = Section.objects.select_related("current_revision").get(pk=section.pk)
        raise EditConflict(
            section=fresh,
            base_revision=base_revision,
            latest_revision=fresh.current_revision.number if fresh.current_revision else None,
        ) from None
    return revision


def section_transition(
    *,
    actor: User,
    section: Section,
    action: str,
    base_revision: int | None = None,
    note: str = "",
) -> Section:
    """Take a workflow step (submit, request_changes, approve, publish) on the section.

    ``base_revision``, when given, must be the revision the actor looked at: nobody approves
    or publishes a text they have not seen.
    """
    with transaction.atomic():
        section = _locked(section)
        if not permissions.can_view_section(actor, section):
            raise PermissionDenied(_("Sie dürfen diesen Abschnitt nicht sehen."))
        try:
            transition = check_transition(
                action,
                status=section.status,
                roles=permissions.section_roles(actor, section),
                is_submitter=section.submitted_by_id == actor.pk,
            )
        except TransitionError as error:
            raise ValidationError({"action": str(error)}) from None
        current = section.current_revision
        if current is None:
            raise ValidationError({"action": _("Der Abschnitt hat noch keinen Text.")})
        if base_revision is not None and base_revision != current.number:
            raise EditConflict(
                section=section, base_revision=base_revision, latest_revision=current.number
            )
        if transition.action == Action.REQUEST_CHANGES and not note.strip():
            raise ValidationError({"note": _("Bitte sagen Sie, was geändert werden soll.")})
        from_status = section.status
        section.status = transition.target
        if transition.action == Action.SUBMIT:
            section.submitted_by = actor
        elif transition.action == Action.APPROVE:
            section.approved_revision = current
        elif transition.action == Action.PUBLISH:
            section.published_revision = section.approved_revision
            section.published_at = timezone.now()
        section.save()
        SectionEvent.objects.create(
            section=section,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
            revision=current,
            actor=actor,
            note=note.strip(),
        )
    return section
