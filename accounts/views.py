from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import privacy
from .forms import DeleteAccountForm, LoginForm


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
