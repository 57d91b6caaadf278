from django import forms
from django.utils.translation import gettext_lazy as _

from .workflow import Action


class SectionEditForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "editor", "spellcheck": "true"}),
        help_text=_(
            "Überschriften mit ##, Listen mit -, Tabellen und Fußnoten ([^1]) sind möglich. "
            "HTML wird als Text angezeigt."
        ),
        strip=False,
    )
    message = forms.CharField(
        label=_("Was haben Sie geändert?"),
        max_length=300,
        required=False,
        help_text=_("Eine kurze Notiz für den Verlauf, z. B. „Ziel 2 präzisiert“."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Anmerkung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    override = forms.BooleanField(
        label=_("Trotz offener Kommentare freigeben (bitte in der Anmerkung begründen)"),
        required=False,
    )


class CompareForm(forms.Form):
    von = forms.IntegerField(label=_("Von Revision"), min_value=1)
    zu = forms.IntegerField(label=_("Zu Revision"), min_value=1)
