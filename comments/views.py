"""HTML views of comments: thin, each calls one service. A refused form is shown again with
the reasons on it and what the user typed (400), whichever page it was on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.http import next_url, redirect_back

from . import permissions, selectors, services, targets
from .forms import CommentEditForm, CommentForm, CommentStateForm, OptionalReasonForm, ReasonForm
from .models import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH, Comment

# Where a page shows the message about a form sent from it (see base.html): the comments
# section, a single comment (its anchor), the moderation queue.
COMMENTS_PLACE = "kommentare"
MODERATION_PLACE = "moderation"


def _at(comment: Comment) -> str:
    return f"kommentar-{comment.pk}"


def comment_context(request: HttpRequest, target: models.Model) -> dict:
    """The comment threads on ``target`` and a form to add one, for the page that shows it."""
    spec = targets.target_of(target)
    scope = spec.scope(target)
    if not permissions.can_read_comments(request.user, scope):
        return {"comments": [], "comment_form": None, "open_comments": 0}
    threads = selectors.comment_threads(request.user, target)
    for comment in selectors.flatten(threads):
        if comment.revision and spec.revision_url is not None:
            comment.revision_url = spec.revision_url(target, comment.revision)
    form = None
    if permissions.can_comment(request.user, scope):
        text = spec.anchorable(target)
        form = CommentForm(
            initial={"target": targets.reference(target)},
            paragraphs=text.paragraphs if text else (),
        )
    return {
        "comments": threads,
        "comment_form": form,
        "comment_max_length": COMMENT_MAX_LENGTH,
        "open_comments": sum(
            1 for c in selectors.flatten(threads) if c.state == "open" and not c.is_hidden
        ),
        # The comments section shows the messages about its forms (see base.html).
        "message_places": [COMMENTS_PLACE, MODERATION_PLACE, "kommentar-*"],
    }


def _refused(
    request: HttpRequest, form, *, title: str, action: str, submit: str | None = None
) -> HttpResponse:
    """A comment form the form check or the service refused: shown again with the reasons
    on it and what the user typed, to send again or leave (400). (A PermissionDenied is not
    caught: it answers 403, as everywhere.)"""
    return render(
        request,
        "comments/comment_refused.html",
        {
            "form": form,
            "title": title,
            "action": action,
            "submit": submit,
            "back": next_url(request),
        },
        status=400,
    )


def _comment_for(request: HttpRequest, pk: int) -> Comment:
    return get_object_or_404(permissions.comments_visible_to(request.user), pk=pk)


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
            created = services.comment_create(
                actor=request.user,
                target=target,
                body=data["body"],
                parent=parent,
                paragraph=data.get("paragraph") or "",
                quote=data.get("quote") or "",
                prefix=data.get("prefix") or "",
                suffix=data.get("suffix") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ihr Kommentar wurde gespeichert."),
                extra_tags=_at(parent) if parent is not None else _at(created),
            )
            return redirect_back(request, target)
    return _refused(
        request,
        form,
        title=_("Ihr Kommentar wurde nicht gespeichert"),
        action=reverse("comments:create"),
        submit=_("Kommentar speichern"),
    )


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
                extra_tags=_at(comment),
            )
            return redirect_back(request, "home")
    return _refused(
        request,
        form,
        title=_("Der Status des Kommentars wurde nicht geändert"),
        action=reverse("comments:state", args=[comment.pk]),
    )


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
            messages.success(request, _("Ihr Kommentar wurde geändert."), extra_tags=_at(comment))
            return redirect_back(request, "home")
    return _refused(
        request,
        form,
        title=_("Ihre Änderung wurde nicht gespeichert"),
        action=reverse("comments:edit", args=[comment.pk]),
        submit=_("Änderung speichern"),
    )


def _with_reason(request: HttpRequest, pk: int, *, hide: bool) -> HttpResponse:
    """Report (anyone logged in) or hide (coordinators) a comment: both take a reason."""
    comment = _comment_for(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        service = services.comment_hide if hide else services.comment_report
        try:
            service(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if hide:
                messages.success(
                    request,
                    _("Der Kommentar ist ausgeblendet; die Verfasser*in erfährt den Grund."),
                    extra_tags=_moderation_place(request, comment),
                )
            else:
                messages.success(
                    request,
                    _("Danke, die Koordination sieht sich den Kommentar an."),
                    extra_tags=_at(comment),
                )
            return redirect_back(request, "home")
    return _refused(
        request,
        form,
        title=_("Der Kommentar wurde nicht ausgeblendet")
        if hide
        else _("Der Kommentar wurde nicht gemeldet"),
        action=request.path,
        submit=_("Ausblenden") if hide else _("Melden"),
    )


def _moderation_place(request: HttpRequest, comment: Comment) -> str:
    """A decision sent from the queue is confirmed there, one sent from the page at the
    comment."""
    target = next_url(request) or ""
    return MODERATION_PLACE if target.startswith(reverse("comments:moderation")) else _at(comment)


def _decision(request: HttpRequest, pk: int, *, service, done: str, title: str) -> HttpResponse:
    """Dismiss the reports on a comment, or show a hidden comment again (coordinators); the
    reason is optional."""
    comment = _comment_for(request, pk)
    form = OptionalReasonForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done, extra_tags=_moderation_place(request, comment))
            return redirect_back(request, "comments:moderation")
    return _refused(request, form, title=title, action=request.path, submit=_("Senden"))


@require_POST
@login_required
def comment_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        service=services.comment_dismiss_reports,
        done=_("Die Meldung ist zurückgewiesen; der Kommentar bleibt sichtbar."),
        title=_("Die Meldung wurde nicht zurückgewiesen"),
    )


@require_POST
@login_required
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        service=services.comment_restore,
        done=_("Der Kommentar ist wieder sichtbar."),
        title=_("Der Kommentar wurde nicht wieder eingeblendet"),
    )


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """The coordinators' queue: reported comments with their reports, and the comments hidden
    lately (to undo a hide)."""
    if not permissions.can_moderate_anywhere(request.user):
        raise PermissionDenied
    queue = list(selectors.moderation_queue(request.user))
    hidden = list(selectors.hidden_comments(request.user))
    for comment in [*queue, *hidden]:
        comment.url = services.comment_url(comment)
    return render(
        request,
        "comments/moderation.html",
        {
            "queue": queue,
            "hidden": hidden,
            "message_places": [MODERATION_PLACE],
            "reason_max_length": REASON_MAX_LENGTH,
        },
    )


@require_POST
@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, hide=False)


@require_POST
@login_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, hide=True)
