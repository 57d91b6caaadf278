from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.forms import label_empty_choices

from .roles import ROLES, RoleName, Scope


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Benutzername oder E-Mail-Adresse"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Benutzername/E-Mail-Adresse oder Passwort stimmen nicht. "
            "Bitte achten Sie auf Groß- und Kleinschreibung des Passworts."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }


class RoleGrantForm(forms.Form):
    """Admin form: one role on one object (a Handlungsfeld or a working group) or global."""

    role = forms.ChoiceField(label=_("Rolle"), choices=RoleName.choices)
    action_field = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=None, required=False,
        help_text=_("Für Redaktion und Prüfung."),
    )  # fmt: skip
    working_group = forms.ModelChoiceField(
        label=_("Arbeitsgruppe"), queryset=None, required=False,
        help_text=_("Für die Mitgliedschaft in einer Arbeitsgruppe."),
    )  # fmt: skip

    def __init__(self, *args, action_fields, working_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = action_fields
        self.fields["working_group"].queryset = working_groups
        label_empty_choices(self)
        # Reporters are set on the measure itself (responsible users, working group).
        self.fields["role"].choices = [
            (name.value, name.label) for name, role in ROLES.items() if role.scope != Scope.MEASURE
        ]

    def clean(self):
        data = super().clean()
        role = ROLES.get(RoleName(data["role"])) if data.get("role") else None
        if role is None:
            return data
        if role.scope == Scope.ACTION_FIELD and not data.get("action_field"):
            self.add_error("action_field", _("Diese Rolle gilt für ein Handlungsfeld."))
        if role.scope == Scope.WORKING_GROUP and not data.get("working_group"):
            self.add_error("working_group", _("Bitte wählen Sie die Arbeitsgruppe."))
        data["target"] = {
            Scope.ACTION_FIELD: data.get("action_field"),
            Scope.WORKING_GROUP: data.get("working_group"),
        }.get(role.scope)
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    confirm = forms.BooleanField(
        label=_("Ich möchte mein Konto endgültig löschen."),
    )
