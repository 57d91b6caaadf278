"""The inbox and its settings: thin views over the services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors, services
from .forms import NotificationSettingsForm
from .models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications; POST marks all as read."""
    if request.method == "POST":
        services.notifications_mark_all_read(actor=request.user)
        messages.success(request, _("Alle Benachrichtigungen als gelesen markiert."))
        return redirect("notifications:inbox")
    items = list(selectors.inbox(request.user))
    return render(request, "notifications/inbox.html", {"items": items})


@login_required
@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(actor=request.user, notification=notification)
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(actor=request.user, choices=form.choices())
        messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
