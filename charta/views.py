"""HTML views of the charta: thin, each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from comments.views import comment_context
from core import rendering
from core.caching import depends_on, public_page
from core.forms import add_service_errors
from notifications import selectors as notification_selectors

from . import diffing, permissions, selectors, services
from .errors import EditConflict
from .forms import CompareForm, SectionEditForm, TransitionForm
from .workflow import Action, available_actions


@public_page
@require_safe
def charta_document(request: HttpRequest) -> HttpResponse:
    """The published charta as one document, with contents and paragraph permalinks."""
    depends_on(selectors.FIELDS_TAG)
    charta = selectors.current_charta()
    if charta is None:
        raise Http404
    sections = list(selectors.published_sections(charta))
    return render(
        request,
        "charta/document.html",
        {
            "charta": charta,
            "sections": sections,
            "preamble_html": rendering.render_html(charta.preamble),
        },
    )


# Where the section page shows the message about a workflow step (see base.html).
STEPS_PLACE = "arbeitsschritte"


@public_page
@require_safe
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    return _section_page(request, section)


def _section_page(
    request: HttpRequest, section, *, failed: dict | None = None, status: int = 200
) -> HttpResponse:
    """The section page; ``failed`` is a refused step shown at its form with the reasons and
    the note that was typed (``{"action", "note", "override", "errors"}``)."""
    revision = selectors.readable_revision(request.user, section)
    can_read_drafts = permissions.can_read_drafts(request.user, section.action_field_id)
    actions = []
    if request.user.is_authenticated and section.current_revision_id:
        actions = available_actions(
            status=section.status,
            roles=permissions.section_roles(request.user, section),
            is_submitter=section.submitted_by_id == request.user.pk,
        )
    comments = comment_context(request, section)
    if failed is not None:
        failed["at_form"] = failed["action"] in {t.action.value for t in actions}
    return render(
        request,
        "charta/section_detail.html",
        {
            "section": section,
            "revision": revision,
            "can_read_drafts": can_read_drafts,
            "can_edit": permissions.can_edit_section(request.user, section),
            "actions": actions,
            "failed": failed,
            "following": notification_selectors.is_following(
                request.user, services.follow_reference(section)
            ),
            "events": list(selectors.events_for(request.user, section)[:20]),
            "toc": rendering.table_of_contents(revision.body) if revision else [],
            **comments,
            "message_places": [STEPS_PLACE, *comments.get("message_places", [])],
        },
        status=status,
    )


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_edit_section(request.user, section):
        raise PermissionDenied
    current = section.current_revision
    preview = None
    if request.method == "POST":
        form = SectionEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = rendering.render_html(data["body"])
            else:
                try:
                    revision = services.section_save_draft(
                        actor=request.user,
                        section=section,
                        body=data["body"],
                        base_revision=data["base_revision"],
                        message=data["message"],
                    )
                except EditConflict as conflict:
                    return _conflict_page(request, conflict, data)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Revision %(number)s gespeichert. Der Abschnitt ist jetzt ein Entwurf.")
                        % {"number": revision.number},
                    )
                    return redirect(section)
    else:
        form = SectionEditForm(
            initial={
                "body": current.body if current else "",
                "base_revision": current.number if current else None,
            }
        )
    return render(
        request,
        "charta/section_edit.html",
        {"section": section, "form": form, "preview": preview, "current": current},
        status=400 if form.errors else 200,
    )


def _conflict_page(request: HttpRequest, conflict: EditConflict, data: dict) -> HttpResponse:
    """Both texts side by side; the form carries the user's text on top of the newer revision."""
    section = selectors.section_visible(request.user, pk=conflict.section.pk)
    latest = section.current_revision
    form = SectionEditForm(
        initial={
            "body": data["body"],
            "message": data["message"],
            "base_revision": latest.number if latest else None,
        }
    )
    return render(
        request,
        "charta/section_conflict.html",
        {
            "section": section,
            "latest": latest,
            "mine": data["body"],
            "form": form,
            "conflict": conflict,
            "rows": diffing.side_by_side(latest.body if latest else "", data["body"]),
        },
        status=409,
    )


@require_POST
@login_required
def section_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a workflow step. A refused step shows the section page again with the reasons at
    the step's form and the note that was typed; publishing asks for confirmation first."""
    section = selectors.section_visible(request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        errors = []
        for name, field_errors in form.errors.items():
            if name == "action":
                errors.append(_("Diese Aktion ist unbekannt."))
                continue
            label = form.fields[name].label if name in form.fields else None
            errors += [f"{label}: {message}" if label else message for message in field_errors]
        return _refused_step(request, section, form, errors, status=400)
    data = form.cleaned_data
    may_publish = Action.PUBLISH in {
        t.action
        for t in available_actions(
            status=section.status,
            roles=permissions.section_roles(request.user, section),
            is_submitter=section.submitted_by_id == request.user.pk,
        )
    }
    if data["action"] == Action.PUBLISH and may_publish and not data["confirmed"]:
        return render(
            request,
            "charta/section_publish_confirm.html",
            {"section": section, "base_revision": data["base_revision"]},
        )
    try:
        section = services.section_transition(
            actor=request.user,
            section=section,
            action=data["action"],
            base_revision=data["base_revision"],
            note=data["note"],
            override=data["override"],
        )
    except EditConflict as conflict:
        return _refused_step(request, section, form, [str(conflict)], status=409)
    except ValidationError as error:
        return _refused_step(request, section, form, error.messages, status=400)
    except PermissionDenied as error:
        message = str(error) or _("Dazu fehlt Ihnen die Berechtigung.")
        return _refused_step(request, section, form, [message], status=403)
    messages.success(
        request,
        _("Erledigt: „%(action)s“. Neuer Status: %(status)s.")
        % {
            "action": dict(form.fields["action"].choices)[data["action"]],
            "status": section.get_status_display(),
        },
        extra_tags=STEPS_PLACE,
    )
    return redirect(f"{section.get_absolute_url()}#{STEPS_PLACE}")


def _refused_step(request, section, form, errors: list[str], *, status: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=section.pk)
    failed = {
        "action": form.data.get("action", ""),
        "note": form.data.get("note", ""),
        "override": bool(form.data.get("override")),
        "errors": errors,
    }
    return _section_page(request, section, failed=failed, status=status)


@require_POST
@login_required
def section_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a section (or stop): followers hear when it is published."""
    section = selectors.section_visible(request.user, pk=pk)
    follow = request.POST.get("follow") == "1"
    services.section_follow(actor=request.user, section=section, follow=follow)
    messages.success(
        request,
        _("Sie folgen diesem Abschnitt.")
        if follow
        else _("Sie folgen diesem Abschnitt nicht mehr."),
        extra_tags=STEPS_PLACE,
    )
    return redirect(f"{section.get_absolute_url()}#{STEPS_PLACE}")


@require_safe
def section_history(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_read_drafts(request.user, section.action_field_id):
        raise Http404
    revisions = list(selectors.revisions_for(request.user, section))
    return render(
        request,
        "charta/section_history.html",
        {
            "section": section,
            "revisions": revisions,
            "events": list(selectors.events_for(request.user, section)),
        },
    )


@public_page
@require_safe
def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    revision = selectors.revision_for(request.user, section, number)
    return render(
        request, "charta/revision_detail.html", {"section": section, "revision": revision}
    )


@require_safe
def section_diff(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_read_drafts(request.user, section.action_field_id):
        raise Http404
    form = CompareForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "charta/section_diff.html",
            {"section": section, "form": form},
            status=400,
        )
    old = selectors.revision_for(request.user, section, form.cleaned_data["von"])
    new = selectors.revision_for(request.user, section, form.cleaned_data["zu"])
    view = "inline" if request.GET.get("ansicht") == "inline" else "nebeneinander"
    return render(
        request,
        "charta/section_diff.html",
        {
            "section": section,
            "form": form,
            "old": old,
            "new": new,
            "view": view,
            "rows": diffing.side_by_side(old.body, new.body) if view != "inline" else None,
            "chunks": diffing.word_diff(old.body, new.body) if view == "inline" else None,
            "stats": diffing.stats(old.body, new.body),
        },
    )
