from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core.forms import label_empty_choices

from .models import Organisation, User
from .roles import ROLES, RoleName, Scope
from .tasks import send_account_mail


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
    """One role on one object (a Handlungsfeld or a working group) or global. There is no
    default role: the coordinator chooses one, and confirms when it is the coordinator role."""

    role = forms.ChoiceField(label=_("Rolle"), choices=RoleName.choices)
    confirm_coordinator = forms.BooleanField(
        label=_("Ja, Koordinationsrechte vergeben"),
        help_text=_("Nötig für die Rolle Koordination: Sie darf Rollen vergeben, "
                    "veröffentlichen und moderieren."),
        required=False,
    )  # fmt: skip
    action_field = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=None, required=False,
        help_text=_("Für Redaktion und Prüfung."),
    )  # fmt: skip
    working_group = forms.ModelChoiceField(
        label=_("Arbeitsgruppe"), queryset=None, required=False,
        help_text=_("Für die Mitgliedschaft in einer Arbeitsgruppe."),
    )  # fmt: skip

    field_order = ["role", "action_field", "working_group", "confirm_coordinator"]

    def __init__(self, *args, action_fields, working_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = action_fields
        self.fields["working_group"].queryset = working_groups
        label_empty_choices(self)
        # Reporters are set on the measure itself (responsible users, working group).
        self.fields["role"].choices = [("", _("– Bitte wählen –"))] + [
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
        if role.name == RoleName.COORDINATOR and not data.get("confirm_coordinator"):
            self.add_error(
                "confirm_coordinator",
                _("Koordinationsrechte sind weitreichend: bitte bestätigen Sie die Vergabe."),
            )
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


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail sent through the task queue. Invited people whose
    link expired may use it too: the mailbox is theirs, as for the invitation."""

    def get_users(self, email):
        invited = User.objects.filter(
            email__iexact=email, is_active=True, is_anonymised=False, last_login__isnull=True
        )
        known = list(super().get_users(email))
        yield from known
        for user in invited:
            if user not in known and not user.has_usable_password():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_account_mail.enqueue(subject, body, to_email)


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("– keine –"),
    )
