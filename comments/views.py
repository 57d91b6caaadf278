"""HTML views of comments: thin, each calls one service; errors go back to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import redirect_back

from . import permissions, selectors, services, targets
from .forms import CommentEditForm, CommentForm, CommentStateForm, ReasonForm
from .models import COMMENT_MAX_LENGTH

DRAFT_KEY = "comment_draft"


def comment_context(request: HttpRequest, target: models.Model) -> dict:
    """The comment threads on ``target`` and a form to add one, for the page that shows it."""
    spec = targets.target_of(target)
    scope = spec.scope(target)
    if not permissions.can_read_comments(request.user, scope):
        return {"comments": [], "comment_form": None, "open_comments": 0}
    threads = selectors.comment_threads(request.user, target)
    form = None
    if permissions.can_comment(request.user, scope):
        text = spec.anchorable(target)
        form = CommentForm(
            initial={
                "target": targets.reference(target),
                "body": request.session.pop(DRAFT_KEY, ""),
            },
            paragraphs=text.paragraphs if text else (),
        )
    return {
        "comments": threads,
        "comment_form": form,
        "comment_max_length": COMMENT_MAX_LENGTH,
        "open_comments": sum(
            1 for c in selectors.flatten(threads) if c.state == "open" and not c.is_hidden
        ),
    }


def _refused(request: HttpRequest, error: ValidationError, *, draft: str = "") -> None:
    """Tell the writer why nothing was saved, and keep what they typed for the form.

    (A PermissionDenied is not caught: it answers 403, as everywhere.)"""
    for message in error.messages:
        messages.error(request, message)
    if draft:
        request.session[DRAFT_KEY] = draft


def _comment_for(request: HttpRequest, pk: int):
    return get_object_or_404(permissions.comments_visible_to(request.user), pk=pk)


@require_POST
@login_required
def comment_create(request: HttpRequest) -> HttpResponse:
    """Post a comment or reply; on error the text is kept for the form."""
    form = CommentForm(request.POST, paragraphs=[(request.POST.get("paragraph", ""), "")])
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        request.session[DRAFT_KEY] = request.POST.get("body", "")[:COMMENT_MAX_LENGTH]
        return redirect_back(request, "home")
    data = form.cleaned_data
    try:
        target = targets.resolve(request.user, data["target"])
    except targets.BadReference:
        raise Http404 from None
    parent = None
    if data.get("parent"):
        parent = get_object_or_404(permissions.comments_visible_to(request.user), pk=data["parent"])
    try:
        services.comment_create(
            actor=request.user,
            target=target,
            body=data["body"],
            parent=parent,
            paragraph=data.get("paragraph") or "",
        )
    except ValidationError as error:
        _refused(request, error, draft=data["body"])
    else:
        messages.success(request, _("Ihr Kommentar wurde gespeichert."))
    return redirect_back(request, target)


@require_POST
@login_required
def comment_state(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    form = CommentStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Diesen Status gibt es nicht."))
        return redirect_back(request, "home")
    state = form.cleaned_data["state"]
    try:
        services.comment_set_state(actor=request.user, comment=comment, state=state)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Kommentar als erledigt markiert.")
            if state == "resolved"
            else _("Kommentar wieder geöffnet."),
        )
    return redirect_back(request, "home")


@require_POST
@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author corrects their comment (within the edit window); the old text is kept."""
    comment = _comment_for(request, pk)
    form = CommentEditForm(request.POST)
    body = request.POST.get("body", "")
    if not form.is_valid():
        _refused(request, ValidationError(form.errors["body"]), draft=body[:COMMENT_MAX_LENGTH])
        return redirect_back(request, "home")
    try:
        services.comment_edit(actor=request.user, comment=comment, body=form.cleaned_data["body"])
    except ValidationError as error:
        _refused(request, error, draft=body)
    else:
        messages.success(request, _("Ihr Kommentar wurde geändert."))
    return redirect_back(request, "home")


@require_POST
@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Any logged-in reader flags a comment for the coordinators, with a reason."""
    comment = _comment_for(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Grund an."))
        return redirect_back(request, "home")
    try:
        services.comment_report(
            actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Danke, die Koordination sieht sich den Kommentar an."))
    return redirect_back(request, "home")


@require_POST
@login_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators hide a comment, with the reason its author is told."""
    comment = _comment_for(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Grund an."))
        return redirect_back(request, "home")
    try:
        services.comment_hide(
            actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Der Kommentar ist ausgeblendet."))
    return redirect_back(request, "home")
