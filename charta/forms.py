from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    COMMENT_MAX_LENGTH,
    REVISION_NUMBER_MAX,
    SECTION_BODY_MAX_LENGTH,
    TRANSITION_NOTE_MAX_LENGTH,
    Comment,
    Notification,
    NotificationPreference,
)
from .workflow import Action


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


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


class CommentForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=40)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    paragraph = forms.ChoiceField(label=_("Zu Absatz"), required=False, choices=[])
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown ist möglich. Höchstens 5000 Zeichen."),
    )

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [("", _("– ganzer Abschnitt –"))] + [
            (anchor, text[:80] + ("…" if len(text) > 80 else "")) for anchor, text in paragraphs
        ]
        if not paragraphs:
            del self.fields["paragraph"]

    @classmethod
    def posted(cls, data) -> "CommentForm":
        """The form as a page posted it: the service checks the paragraph against the
        target's current text; shown again, the form carries it unchanged."""
        form = cls(data, paragraphs=[(data.get("paragraph", ""), "")])
        form.fields["paragraph"].widget = forms.HiddenInput()
        return form


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"), choices=Comment.State.choices, widget=forms.HiddenInput
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Grund"), max_length=300)


class NotificationSettingsForm(forms.Form):
    """For each kind of notification: in the inbox or not, and how e-mail is sent."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
        self.kinds = []
        for kind, label in Notification.Kind.choices:
            pref = current.get(kind)
            self.fields[f"{kind}_in_app"] = forms.BooleanField(
                label=_("im Postfach anzeigen"),
                required=False,
                initial=pref.in_app if pref else True,
            )
            self.fields[f"{kind}_email"] = forms.ChoiceField(
                label=_("E-Mail"),
                choices=NotificationPreference.Email.choices,
                initial=pref.email if pref else NotificationPreference.Email.IMMEDIATE,
            )
            self.kinds.append((label, self[f"{kind}_in_app"], self[f"{kind}_email"]))

    def save(self) -> None:
        for kind in Notification.Kind.values:
            NotificationPreference.objects.update_or_create(
                user=self.user,
                kind=kind,
                defaults={
                    "in_app": self.cleaned_data[f"{kind}_in_app"],
                    "email": self.cleaned_data[f"{kind}_email"],
                },
            )
