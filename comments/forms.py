from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    COMMENT_MAX_LENGTH,
    QUOTE_CONTEXT_MAX_LENGTH,
    QUOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Comment,
)


class CommentForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=40)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    paragraph = forms.ChoiceField(label=_("Zu Absatz"), required=False, choices=[])
    quote = forms.CharField(
        label=_("Zu dieser Stelle (genauer Wortlaut, optional)"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        help_text=_("Kopieren Sie die Wörter aus dem Absatz, auf die sich Ihr Kommentar bezieht."),
    )
    prefix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=QUOTE_CONTEXT_MAX_LENGTH
    )
    suffix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=QUOTE_CONTEXT_MAX_LENGTH
    )
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _("Markdown ist möglich. Höchstens {max} Zeichen."), max=COMMENT_MAX_LENGTH
        ),
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
    reason = forms.CharField(label=_("Grund"), max_length=REASON_MAX_LENGTH)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung (optional)"), max_length=REASON_MAX_LENGTH, required=False
    )
