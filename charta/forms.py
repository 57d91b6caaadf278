from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    REVISION_NUMBER_MAX,
    SECTION_BODY_MAX_LENGTH,
    SUGGESTION_QUOTE_MAX_LENGTH,
    SUGGESTION_REASON_MAX_LENGTH,
    SUGGESTION_REPLACEMENT_MAX_LENGTH,
    TRANSITION_NOTE_MAX_LENGTH,
)
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


class CompareForm(forms.Form):
    """Two revisions to compare: the diff page's ``?von=&zu=`` and the API's ``?compare=A,B``."""

    von = RevisionNumberField(label=_("Von Revision"))
    zu = RevisionNumberField(label=_("Zu Revision"))


class SuggestionForm(forms.Form):
    """A suggestion from the section page: typed, or filled in from selected words."""

    base_revision = RevisionNumberField(label=_("Grundlage (Revision)"), widget=forms.HiddenInput)
    quote = forms.CharField(
        label=_("Bisheriger Text (genauer Wortlaut)"),
        required=False,
        max_length=SUGGESTION_QUOTE_MAX_LENGTH,
        strip=False,
        help_text=_("Genau so, wie er im Absatz steht."),
    )
    prefix = forms.CharField(
        label=_("Text davor"), widget=forms.HiddenInput, required=False, strip=False, max_length=200
    )
    suffix = forms.CharField(
        label=_("Text danach"),
        widget=forms.HiddenInput,
        required=False,
        strip=False,
        max_length=200,
    )
    replacement = forms.CharField(
        label=_("Vorgeschlagener Text"),
        required=False,
        strip=False,
        max_length=SUGGESTION_REPLACEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leer lassen, um die Stelle zu streichen."),
    )
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=SUGGESTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuggestionAcceptForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        label=_("Vorschläge"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("Bitte wählen Sie mindestens einen Vorschlag."),
            "invalid_choice": _("Diesen Vorschlag gibt es hier nicht (mehr)."),
        },
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(s.pk, f"#{s.pk}") for s in suggestions]


class SuggestionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Ablehnung"),
        max_length=SUGGESTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
