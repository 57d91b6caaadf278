"""HTML views of the charta: thin, each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from comments.views import comment_context
from core import rendering
from core.caching import depends_on, public_page
from core.forms import add_service_errors
from notifications import selectors as notification_selectors

from . import annotations, diffing, merging, permissions, selectors, services
from .errors import EditConflict, MergeConflict, RemovalNeedsConfirmation, SuggestionConflict
from .forms import (
    CompareForm,
    ConflictForm,
    SectionEditForm,
    SettleForm,
    SuggestionAcceptForm,
    SuggestionForm,
    SuggestionRejectForm,
    TransitionForm,
)
from .merging import Conflict
from .models import Suggestion
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
    context = {
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
        "looked_at": selectors.last_looked_at(request.user, section),
        **comments,
        "message_places": [STEPS_PLACE, *comments.get("message_places", [])],
    }
    if can_read_drafts and revision is not None and revision.pk == section.current_revision_id:
        # Comments and suggestions beside the text they point at.
        suggestions = annotations.with_diffs(
            list(selectors.suggestions_on(request.user, section, states=[Suggestion.State.OPEN]))
        )
        annotated = annotations.annotate(revision, context["comments"], suggestions)
        context.update(
            blocks=annotated.blocks,
            comments=annotated.general_comments,
            open_suggestions=len(suggestions),
            may_suggest=permissions.can_suggest(request.user, section),
            may_decide=permissions.can_decide_suggestions(request.user, section),
        )
    return render(request, "charta/section_detail.html", context, status=status)


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor. A save is merged with what others saved meanwhile (services); conflicts
    lead to the page that settles them chunk by chunk, removals of colleagues' text to a
    confirmation step. Nothing typed is lost on the way."""
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_edit_section(request.user, section):
        raise PermissionDenied
    if request.method == "POST" and "settle" in request.POST:
        return _settle(request, section)
    current = section.current_revision
    preview = None
    outdated = None
    if request.method == "POST":
        form = SectionEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = rendering.render_html(data["body"])
                outdated = selectors.suggestions_outdated_by(request.user, section, data["body"])
            elif "revise" not in request.POST:
                return _save(request, section, form, data)
    else:
        form = SectionEditForm(
            initial={
                "body": current.body if current else "",
                "base_revision": current.number if current else None,
            }
        )
    return _editor_page(request, section, form, preview=preview, outdated=outdated)


def _editor_page(request, section, form, *, preview=None, outdated=None) -> HttpResponse:
    services.presence_heartbeat(actor=request.user, section=section)
    base = form["base_revision"].value() if form.is_bound else form.initial.get("base_revision")
    return render(
        request,
        "charta/section_edit.html",
        {
            "section": section,
            "form": form,
            "preview": preview,
            "current": section.current_revision,
            "base_number": base or "",
            "present": selectors.editors_present(request.user, section),
            "outdated": outdated,
            "open_suggestions": selectors.suggestions_on(
                request.user, section, states=[Suggestion.State.OPEN]
            ).count(),
        },
        status=400 if form.errors else 200,
    )


def _save(request, section, form, data) -> HttpResponse:
    try:
        revision = services.section_save_draft(
            actor=request.user,
            section=section,
            body=data["body"],
            base_revision=data["base_revision"],
            origin_revision=data["origin_revision"],
            message=data["message"],
            confirm_removals=data["confirm_removals"],
        )
    except MergeConflict as conflict:
        return _conflict_page(request, section, conflict, data)
    except RemovalNeedsConfirmation as refusal:
        return _confirm_removals_page(request, section, refusal, data)
    except EditConflict as conflict:
        # A base revision that does not exist: the text stays, built on the latest.
        fresh = selectors.section_visible(request.user, pk=section.pk)
        latest = fresh.current_revision
        form = SectionEditForm(
            {
                "body": data["body"],
                "message": data["message"],
                "base_revision": latest.number if latest else "",
            }
        )
        form.is_valid()
        form.add_error(None, str(conflict))
        return _editor_page(request, fresh, form)
    except ValidationError as error:
        add_service_errors(form, error)
        return _editor_page(request, section, form)
    if revision.merged:
        messages.success(request, _merged_message(request, section, revision))
    else:
        messages.success(
            request,
            _("Revision %(number)s gespeichert. Der Abschnitt ist jetzt ein Entwurf.")
            % {"number": revision.number},
        )
    return redirect(section)


def _merged_message(request, section, revision) -> str:
    """ "Ihre Änderungen wurden mit Revision N von X zusammengeführt", with the diffs."""
    merged_with = revision.merged_with
    if len(merged_with) > 3:
        listed = _("den Revisionen %(first)s bis %(last)s") % {
            "first": merged_with[0],
            "last": merged_with[-1],
        }
    else:
        others = selectors.revisions_for(request.user, section).filter(number__in=merged_with)
        names = [
            _("Revision %(number)s von %(author)s")
            % {"number": other.number, "author": other.author or _("unbekannt")}
            for other in sorted(others, key=lambda r: r.number)
        ]
        listed = (
            names[0]
            if len(names) == 1
            else _("%(first)s und %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        )
    diff = reverse("charta:section_diff", kwargs={"pk": section.pk})
    theirs = revision.merged_with[-1]
    return format_html(
        '{} {} <a href="{}?von={}&amp;zu={}">{}</a> · <a href="{}?von={}&amp;zu={}">{}</a>',
        _("Ihre Änderungen wurden mit %(revisions)s zusammengeführt.") % {"revisions": listed},
        _("Revision %(number)s gespeichert.") % {"number": revision.number},
        diff,
        revision.base_revision or theirs,
        theirs,
        _("Was die anderen geändert haben"),
        diff,
        theirs,
        revision.number,
        _("Ihre Änderungen im Ergebnis"),
    )


def _conflict_page(request, section, conflict: MergeConflict, data: dict, form=None):
    """The merged text with every conflicting chunk to settle: keep theirs, mine, both, or
    write it anew. What merged cleanly is shown merged already."""
    section = selectors.section_visible(request.user, pk=section.pk)
    latest = selectors.revision_for(request.user, section, conflict.latest_revision)
    if form is None:
        form = ConflictForm(
            initial={
                "body": data["body"],
                "message": data["message"],
                "base_revision": conflict.latest_revision,
                "merge_base": conflict.base_revision,
                # Kept through several rounds of settling; 0: started from no text.
                "origin_revision": (
                    data["origin_revision"]
                    if data.get("origin_revision") is not None
                    else conflict.base_revision or 0
                ),
                "settle": True,
            },
            conflicts=conflict.merge.conflicts,
            latest_number=latest.number,
        )
    chunks = iter(form.chunks())
    parts = [
        {"conflict": next(chunks)} if isinstance(part, Conflict) else {"text": part}
        for part in conflict.merge.parts
    ]
    return render(
        request,
        "charta/section_conflict.html",
        {
            "section": section,
            "latest": latest,
            "base_number": conflict.base_revision,
            "conflict": conflict,
            "form": form,
            "parts": parts,
        },
        status=400 if form.errors else 409,
    )


def _settle(request, section) -> HttpResponse:
    """A conflict page was sent back: settle the chunks and save on the latest revision."""
    fields = SettleForm(request.POST)
    if not fields.is_valid() or fields.cleaned_data["base_revision"] is None:
        return _editor_page(request, section, fields)
    data = fields.cleaned_data
    texts = selectors.revision_texts(
        request.user, section, [data["merge_base"], data["base_revision"]]
    )
    merge = merging.merge(texts[data["merge_base"]], texts[data["base_revision"]], data["body"])
    form = ConflictForm(
        request.POST, conflicts=merge.conflicts, latest_number=data["base_revision"]
    )
    if not form.is_valid():
        conflict = MergeConflict(
            section=section,
            base_revision=data["merge_base"],
            latest_revision=data["base_revision"],
            merge=merge,
        )
        return _conflict_page(request, section, conflict, data, form=form)
    settled = {**data, "body": merge.settle(form.decisions()), "confirm_removals": False}
    return _save(request, section, SectionEditForm(settled), settled)


def _confirm_removals_page(request, section, refusal: RemovalNeedsConfirmation, data: dict):
    """Name what the save would remove of colleagues' text, and ask before doing it."""
    form = SectionEditForm(initial={**data, "confirm_removals": True})
    for field in form.fields.values():
        field.widget = field.hidden_widget()
    return render(
        request,
        "charta/section_confirm_removals.html",
        {"section": section, "refusal": refusal, "form": form},
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


def _suggestion_refused(
    request: HttpRequest, section, form, *, status: int = 400, conflict=None
) -> HttpResponse:
    """The suggestion form again, with the reasons and what the user typed."""
    return render(
        request,
        "charta/suggestion_refused.html",
        {"section": section, "form": form, "conflict": conflict},
        status=status,
    )


@require_POST
@login_required
def suggestion_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a change to the quoted words; refused: the form again with what was typed."""
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_suggest(request.user, section):
        raise PermissionDenied
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            suggestion = services.suggestion_create(
                actor=request.user, section=section, **form.cleaned_data
            )
        except EditConflict as conflict:
            return _suggestion_refused(request, section, form, status=409, conflict=conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Änderungsvorschlag wurde gespeichert."))
            return redirect(suggestion.get_absolute_url())
    return _suggestion_refused(request, section, form)


@require_safe
def section_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestions on a section: open ones to accept (several at once) or reject."""
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_read_drafts(request.user, section.action_field_id):
        raise Http404
    return _suggestions_page(request, section)


def _suggestions_page(request, section, *, form=None, conflict=None, status=200):
    suggestions = annotations.with_diffs(list(selectors.suggestions_on(request.user, section)))
    return render(
        request,
        "charta/section_suggestions.html",
        {
            "section": section,
            "open": [s for s in suggestions if s.state == Suggestion.State.OPEN],
            "outdated": [s for s in suggestions if s.state == Suggestion.State.OUTDATED],
            "decided": [
                s
                for s in suggestions
                if s.state in (Suggestion.State.ACCEPTED, Suggestion.State.REJECTED)
            ][::-1],
            "may_decide": permissions.can_decide_suggestions(request.user, section),
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )


@require_POST
@login_required
def suggestions_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the chosen suggestions at once (all or nothing)."""
    section = selectors.section_visible(request.user, pk=pk)
    if not permissions.can_decide_suggestions(request.user, section):
        raise PermissionDenied
    form = SuggestionAcceptForm(
        request.POST, suggestions=selectors.suggestions_on(request.user, section)
    )
    if not form.is_valid():
        return _suggestions_page(request, section, form=form, status=400)
    try:
        revision = services.suggestions_accept(
            actor=request.user, section=section, ids=form.cleaned_data["ids"]
        )
    except SuggestionConflict as conflict:
        return _suggestions_page(request, section, form=form, conflict=conflict, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _suggestions_page(request, section, form=form, status=400)
    messages.success(
        request,
        _("Übernommen: Revision %(number)s trägt die Vorschläge.") % {"number": revision.number},
    )
    return redirect(section)


@require_POST
@login_required
def suggestion_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject one suggestion with a reason, which its author is told."""
    suggestion = get_object_or_404(
        permissions.suggestions_visible_to(request.user).select_related("section"), pk=pk
    )
    section = selectors.section_visible(request.user, pk=suggestion.section_id)
    if not permissions.can_decide_suggestions(request.user, section):
        raise PermissionDenied
    form = SuggestionRejectForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_reject(
                actor=request.user, suggestion=suggestion, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Vorschlag wurde abgelehnt."))
            return redirect("charta:section_suggestions", pk=section.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return _suggestions_page(request, section, status=400)
