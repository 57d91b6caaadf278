from django import forms
from django.utils.translation import gettext_lazy as _

from . import merging
from .merging import Conflict
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


class OriginRevisionField(forms.IntegerField):
    """The revision a writer first started from; 0 for a section that had no text yet."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=0, max_value=REVISION_NUMBER_MAX, widget=forms.HiddenInput, **kwargs
        )


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
    # Set when the text settles a conflict: the revision the writer first started from.
    origin_revision = OriginRevisionField(label=_("Ausgangsrevision"), required=False)
    # Set by the confirmation step: removing colleagues' additions is intended.
    confirm_removals = forms.BooleanField(widget=forms.HiddenInput, required=False)


class SettleForm(SectionEditForm):
    """What a sent-back conflict page says besides the decisions (see ConflictForm)."""

    merge_base = RevisionNumberField(widget=forms.HiddenInput, required=False)


class ConflictForm(forms.Form):
    """Settle the conflicting chunks of a merge one by one.

    Carries the writer's whole text (``body``), the revision it was written on
    (``merge_base``) and the latest revision it conflicted with (``base_revision``); the
    merge is computed again from them, so the page needs nothing but these fields. The
    revision the writer first started from (``origin_revision``) stays the same through
    several rounds of settling, so that a colleague's text is never removed unasked. Per
    chunk: which version stays (``choice_N``) and, to write the chunk anew, ``text_N``.
    """

    body = forms.CharField(
        widget=forms.HiddenInput, strip=False, max_length=SECTION_BODY_MAX_LENGTH
    )
    message = SectionEditForm.base_fields["message"]
    base_revision = RevisionNumberField(widget=forms.HiddenInput)
    merge_base = RevisionNumberField(widget=forms.HiddenInput, required=False)
    origin_revision = OriginRevisionField(required=False)
    settle = forms.BooleanField(widget=forms.HiddenInput, initial=True)

    def __init__(self, *args, conflicts: list[Conflict], latest_number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = conflicts
        choices = [
            (merging.THEIRS, _("Fassung aus Revision %(number)s") % {"number": latest_number}),
            (merging.MINE, _("Meine Fassung")),
            (
                merging.BOTH,
                _("Beide (erst Revision %(number)s, dann meine)") % {"number": latest_number},
            ),
            (merging.EDIT, _("Selbst formulieren (Textfeld unten)")),
        ]
        for index, conflict in enumerate(conflicts, start=1):
            self.fields[f"choice_{index}"] = forms.ChoiceField(
                label=_("Welche Fassung soll an Stelle %(index)s gelten?") % {"index": index},
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte wählen Sie aus, was hier gelten soll.")},
            )
            self.fields[f"text_{index}"] = forms.CharField(
                label=_("Eigene Formulierung für Stelle %(index)s") % {"index": index},
                widget=forms.Textarea(attrs={"rows": 4, "class": "editor"}),
                required=False,
                strip=False,
                initial=conflict.mine,
                max_length=SECTION_BODY_MAX_LENGTH,
            )

    def chunks(self):
        """Per conflict: the chunk, its choice field and its text field, for the page."""
        return [
            (index, conflict, self[f"choice_{index}"], self[f"text_{index}"])
            for index, conflict in enumerate(self.conflicts, start=1)
        ]

    def decisions(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"choice_{index}"], self.cleaned_data[f"text_{index}"])
            for index in range(1, len(self.conflicts) + 1)
        ]


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
