"""Token authentication for the API: obtain and revoke."""

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import services
from .models import User
from .permissions import can_assign_roles


class TokenRequestSerializer(serializers.Serializer):
    # As long as the login form allows (LoginForm.username).
    username = serializers.CharField(
        help_text=_("Benutzername oder E-Mail-Adresse"), max_length=254
    )
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


TokenResponse = inline_serializer("TokenResponse", {"token": serializers.CharField()})


class TokenView(APIView):
    """POST: a token for username (or e-mail) and password. DELETE: revoke your own token."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_authenticators(self):
        # Logging in needs no session (so no CSRF token) and ignores any old token the
        # client still sends: a revoked token must not stop it from getting a new one.
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_authenticate_header(self, request):
        # A refused login answers 401 with the scheme to use, not 403.
        return TokenAuthentication().authenticate_header(request)

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponse}, auth=[])
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes marks it when the login is locked out.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(
                _("Benutzername/E-Mail-Adresse oder Passwort stimmen nicht.")
            )
        return Response({"token": services.token_issue(user=user).key})

    @extend_schema(responses={204: None})
    def delete(self, request):
        services.token_revoke(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserTokenView(APIView):
    """Coordinators revoke the token of any user."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, username: str):
        if not can_assign_roles(request.user):
            raise PermissionDenied(_("Nur die Koordination widerruft Schlüssel anderer Personen."))
        user = get_object_or_404(User, username=username)
        services.token_revoke(actor=request.user, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
