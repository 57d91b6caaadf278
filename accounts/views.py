from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import audit, invitations, lockout, privacy, services
from .forms import DeleteAccountForm, LoginForm, QueuedPasswordResetForm
from .models import AuditEntry


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: JSON for the API, a German page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in %(minutes)s "
                    "Minuten erneut."
                )
                % {"minutes": minutes}
            },
            status=settings.AXES_HTTP_RESPONSE_CODE,
        )
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@login_required
def my_data(request):
    """Download one's data (POST action=export) or delete one's account (action=delete)."""
    form = DeleteAccountForm()
    if request.method == "POST" and request.POST.get("action") == "export":
        archive = privacy.user_data_zip(actor=request.user, user=request.user)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="itas-charta-daten-{request.user.username}.zip"'
        )
        return response
    if request.method == "POST" and request.POST.get("action") == "delete":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            try:
                privacy.user_anonymise(
                    actor=request.user, user=request.user, password=form.cleaned_data["password"]
                )
            except ValidationError as error:
                form.add_error("password", error.message_dict["password"][0])
            else:
                logout(request)
                messages.success(request, _("Ihr Konto wurde gelöscht."))
                return redirect("home")
    return render(
        request, "accounts/my_data.html", {"form": form}, status=400 if form.errors else 200
    )


# Password reset: Django's views in German templates, the mail sent through the task queue.
# Every request gets the same answer, whether or not the address belongs to an account.
RESET_LIMIT_PER_ADDRESS = 3
RESET_LIMIT_PER_CLIENT = 10
RESET_WINDOW = 60 * 60


def _over_limit(key: str, limit: int) -> bool:
    """Count one more request under ``key`` in the current window; True when over ``limit``."""
    cache.add(key, 0, RESET_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        count = 1
    return count > limit


class RefusedFormIs400:
    """A form that comes back with errors answers 400, as everywhere on the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetView(RefusedFormIs400, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        client = audit.client_ip(self.request) or "unknown"
        throttled = _over_limit(f"pwreset:client:{client}", RESET_LIMIT_PER_CLIENT)
        throttled = _over_limit(f"pwreset:address:{address}", RESET_LIMIT_PER_ADDRESS) or throttled
        if throttled:
            # The same answer as always: nobody learns from it whether the address exists.
            return HttpResponseRedirect(self.get_success_url())
        for user in form.get_users(address):
            audit.record(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.PASSWORD_RESET_REQUESTED,
                target=user,
            )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(RefusedFormIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(actor=form.user, action=AuditEntry.Action.PASSWORD_CHANGED, target=form.user)
        # Whoever reads the account's mail is its owner: earlier failed logins no longer lock.
        lockout.clear_failures(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(RefusedFormIs400, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_data")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            actor=self.request.user, action=AuditEntry.Action.PASSWORD_CHANGED,
            target=self.request.user,
        )  # fmt: skip
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return response


INVITATION_SESSION_KEY = "_invitation_token"


@never_cache
def invitation(request, token: str):
    """The link of an invitation: kept in the session and taken out of the address (so that
    it does not leak through the Referer header), then the form to set the password."""
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("accounts:invitation_accept")


@never_cache
@sensitive_post_parameters()
def invitation_accept(request):
    """The invited person sets their password and is logged in, landing on their tasks."""
    user = invitations.user_for_token(request.session.get(INVITATION_SESSION_KEY, ""))
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(request, _("Willkommen! Ihr Passwort ist gesetzt."))
        return redirect(reverse("portal:tasks"))
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "person": user},
        status=400 if form.errors else 200,
    )
