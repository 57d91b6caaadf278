from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REVISION_NUMBER_MAX, SECTION_BODY_MAX_LENGTH, TRANSITION_NOTE_MAX_LENGTH
from .workflow import Action


class RevisionNumberField(forms.IntegerField):
    """A revision number as a request names it: a whole number a revision can have."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=REVISION_NUMBER_MAX, **kwargs)


class SectionEditForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "editor", "spellcheck": "true"}),
        help_text=_(
            "Überschriften mit ##, Listen mit -, Tabellen und Fußnoten ([^1]) sind möglich. "
            "HTML wird als Text angezeigt."
        ),
        strip=False,
        max_length=SECTION_BODY_MAX_LENGTH,
    )
    message = forms.CharField(
        label=_("Was haben Sie geändert?"),
        max_length=300,
        required=False,
        help_text=_("Eine kurze Notiz für den Verlauf, z. B. „Ziel 2 präzisiert“."),
    )
    base_revision = RevisionNumberField(
        label=_("Grundlage (Revision)"), widget=forms.HiddenInput, required=False
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(label=_("Aktion"), choices=Action.choices, widget=forms.HiddenInput)
    base_revision = RevisionNumberField(
        label=_("Grundlage (Revision)"), widget=forms.HiddenInput, required=False
    )
    note = forms.CharField(
        label=_("Anmerkung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TRANSITION_NOTE_MAX_LENGTH,
    )
    override = forms.BooleanField(
        label=_("Trotz offener Kommentare freigeben (bitte in der Anmerkung begründen)"),
        required=False,
    )
    # Publishing asks first: the step is taken only when the confirmation was sent.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CompareForm(forms.Form):
    """Two revisions to compare: the diff page's ``?von=&zu=`` and the API's ``?compare=A,B``."""

    von = RevisionNumberField(label=_("Von Revision"))
    zu = RevisionNumberField(label=_("Zu Revision"))
