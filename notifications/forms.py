from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import NotificationPreference


class NotificationSettingsForm(forms.Form):
    """For each kind of notification: in the inbox or not, and how e-mail is sent."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        self.codes = []
        for kind, in_app, email in selectors.preferences(user):
            self.fields[f"{kind.code}_in_app"] = forms.BooleanField(
                label=_("im Postfach anzeigen"), required=False, initial=in_app
            )
            self.fields[f"{kind.code}_email"] = forms.ChoiceField(
                label=_("E-Mail"), choices=NotificationPreference.Email.choices, initial=email
            )
            self.codes.append(kind.code)
            self.kinds.append((kind.label, self[f"{kind.code}_in_app"], self[f"{kind.code}_email"]))

    def choices(self) -> dict[str, tuple[bool, str]]:
        """The cleaned choices as the service takes them."""
        return {
            code: (self.cleaned_data[f"{code}_in_app"], self.cleaned_data[f"{code}_email"])
            for code in self.codes
        }
