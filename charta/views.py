"""HTML views of the charta: thin, each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import diffing, permissions, rendering, selectors, services, targets
from .caching import public_page
from .errors import EditConflict
from .forms import (
    CommentEditForm,
    CommentForm,
    CommentStateForm,
    CompareForm,
    NotificationSettingsForm,
    ReasonForm,
    SectionEditForm,
    TransitionForm,
    add_service_errors,
)
from .models import Comment, Notification
from .workflow import available_actions


@public_page
@require_safe
def charta_document(request: HttpRequest) -> HttpResponse:
    """The published charta as one document, with contents and paragraph permalinks."""
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


@public_page
@require_safe
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_visible(request.user, pk=pk)
    revision = selectors.readable_revision(request.user, section)
    can_read_drafts = permissions.can_read_drafts(request.user, section.action_field_id)
    actions = []
    if request.user.is_authenticated and section.current_revision_id:
        actions = available_actions(
            status=section.status,
            roles=permissions.section_roles(request.user, section),
            is_submitter=section.submitted_by_id == request.user.pk,
        )
    return render(
        request,
        "charta/section_detail.html",
        {
            "section": section,
            "revision": revision,
            "can_read_drafts": can_read_drafts,
            "can_edit": permissions.can_edit_section(request.user, section),
            "actions": actions,
            "events": list(selectors.events_for(request.user, section)[:20]),
            "toc": rendering.table_of_contents(revision.body) if revision else [],
            **comment_context(
                request,
                section,
                section.action_field_id,
                paragraphs=revision.paragraphs if (revision and can_read_drafts) else (),
            ),
        },
    )


def _flatten(threads):
    for comment in threads:
        yield comment
        yield from comment.thread


def comment_context(request: HttpRequest, target, action_field_id: int, paragraphs=()) -> dict:
    """The comment threads on ``target`` and a form to add one, for the page that shows it."""
    if not permissions.can_read_drafts(request.user, action_field_id):
        return {"comments": [], "comment_form": None, "open_comments": 0}
    threads = selectors.comment_threads(request.user, target)
    form = None
    if permissions.can_comment(request.user, action_field_id):
        form = CommentForm(initial={"target": targets.reference(target)}, paragraphs=paragraphs)
    return {
        "comments": threads,
        "comment_form": form,
        "open_comments": sum(1 for c in _flatten(threads) if c.state == "open" and not c.is_hidden),
    }


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
    section = selectors.section_visible(request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            if name == "action":
                messages.error(request, _("Diese Aktion ist unbekannt."))
                continue
            label = form.fields[name].label if name in form.fields else None
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect(section)
    try:
        section = services.section_transition(
            actor=request.user,
            section=section,
            action=form.cleaned_data["action"],
            base_revision=form.cleaned_data["base_revision"],
            note=form.cleaned_data["note"],
            override=form.cleaned_data["override"],
        )
    except EditConflict as conflict:
        messages.error(request, str(conflict))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Dazu fehlt Ihnen die Berechtigung."))
    else:
        messages.success(
            request,
            _("Erledigt: „%(action)s“. Neuer Status: %(status)s.")
            % {
                "action": dict(form.fields["action"].choices)[form.cleaned_data["action"]],
                "status": section.get_status_display(),
            },
        )
    return redirect(section)


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


def _next_url(request: HttpRequest) -> str | None:
    """The page a form came from (``next``), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _back(request: HttpRequest, fallback) -> HttpResponse:
    return redirect(_next_url(request) or fallback)


def _comment_refused(
    request: HttpRequest, form, *, title: str, action: str, submit: str | None = None
) -> HttpResponse:
    """A comment form the form check or the service refused: shown again with the reasons
    on it and what the user typed, to send again or leave (400). Every comment action
    answers a refusal this way, whichever page its form was on."""
    return render(
        request,
        "charta/comment_refused.html",
        {
            "form": form,
            "title": title,
            "action": action,
            "submit": submit,
            "back": _next_url(request),
        },
        status=400,
    )


@require_POST
@login_required
def comment_create(request: HttpRequest) -> HttpResponse:
    """Post a comment or reply; when refused, the form again with the reasons and the text."""
    form = CommentForm.posted(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            target = targets.resolve(request.user, data["target"])
        except targets.BadReference:
            raise Http404 from None
        parent = None
        if data.get("parent"):
            parent = get_object_or_404(
                permissions.comments_visible_to(request.user), pk=data["parent"]
            )
        try:
            services.comment_create(
                actor=request.user,
                target=target,
                body=data["body"],
                parent=parent,
                paragraph=data.get("paragraph") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Kommentar wurde gespeichert."))
            return _back(request, target)
    return _comment_refused(
        request,
        form,
        title=_("Ihr Kommentar wurde nicht gespeichert"),
        action=reverse("charta:comment_create"),
        submit=_("Kommentar speichern"),
    )


def _comment_for(request: HttpRequest, pk: int):
    return get_object_or_404(permissions.comments_visible_to(request.user), pk=pk)


@require_POST
@login_required
def comment_state(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    form = CommentStateForm(request.POST)
    if form.is_valid():
        state = form.cleaned_data["state"]
        try:
            services.comment_set_state(actor=request.user, comment=comment, state=state)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Kommentar als erledigt markiert.")
                if state == Comment.State.RESOLVED
                else _("Kommentar wieder geöffnet."),
            )
            return _back(request, "home")
    return _comment_refused(
        request,
        form,
        title=_("Der Status des Kommentars wurde nicht geändert"),
        action=reverse("charta:comment_state", args=[comment.pk]),
    )


@require_POST
@login_required
def comment_moderate(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Report a comment (anyone logged in) or hide it (coordinators), with a reason."""
    comment = _comment_for(request, pk)
    hide = what == "ausblenden"
    form = ReasonForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if hide:
                services.comment_hide(actor=request.user, comment=comment, reason=reason)
            else:
                services.comment_report(actor=request.user, comment=comment, reason=reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Der Kommentar ist ausgeblendet.")
                if hide
                else _("Danke, die Koordination sieht sich den Kommentar an."),
            )
            return _back(request, "home")
    return _comment_refused(
        request,
        form,
        title=_("Der Kommentar wurde nicht ausgeblendet")
        if hide
        else _("Der Kommentar wurde nicht gemeldet"),
        action=request.path,
        submit=_("Ausblenden") if hide else _("Melden"),
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications; POST marks all as read."""
    if request.method == "POST":
        Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        messages.success(request, _("Alle Benachrichtigungen als gelesen markiert."))
        return redirect("notifications:inbox")
    items = list(
        Notification.objects.filter(recipient=request.user, show_in_app=True).order_by(
            "-created_at", "-id"
        )[:100]
    )
    return render(request, "charta/inbox.html", {"items": items})


@login_required
@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("notifications:settings")
    return render(request, "charta/notification_settings.html", {"form": form})


@require_POST
@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author corrects their comment (within the edit window); the old text is kept."""
    comment = _comment_for(request, pk)
    form = CommentEditForm(request.POST)
    if form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Kommentar wurde geändert."))
            return _back(request, "home")
    return _comment_refused(
        request,
        form,
        title=_("Ihre Änderung wurde nicht gespeichert"),
        action=reverse("charta:comment_edit", args=[comment.pk]),
        submit=_("Änderung speichern"),
    )
