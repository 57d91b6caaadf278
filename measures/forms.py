from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User, WorkingGroup
from core.forms import CheckedModelMultipleChoiceField, label_empty_choices
from core.validators import EARLIEST_DATE, LATEST_DATE

from . import importing
from .models import (
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    ReportingPeriod,
    StatusUpdate,
)
from .workflow import WITHDRAW_REASON_MAX_LENGTH, PublicationAction

# The browser's date picker offers the dates the models accept (core.validators).
DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()},
    format="%Y-%m-%d",
)


class GoalForm(forms.ModelForm):
    """A goal's content; its publication changes only through PublicationForm."""

    class Meta:
        model = Goal
        fields = ["title", "description", "indicator", "owner", "target_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "indicator": forms.Textarea(attrs={"rows": 3}),
            "target_date": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)


class MeasureForm(forms.ModelForm):
    partners = CheckedModelMultipleChoiceField(
        label=_("Partnerorganisationen"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = CheckedModelMultipleChoiceField(
        label=_("Verantwortliche Personen"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "username"),
        required=False,
        help_text=_("Sie berichten den Umsetzungsstand, ebenso die Mitglieder der Arbeitsgruppe."),
        # Checkboxes: a multiple select would need Ctrl+click, unknown to most people.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
    )

    class Meta:
        model = Measure
        fields = [
            "goal", "title", "description", "owner", "partners", "working_group",
            "responsible", "start_date", "deadline", "priority", "depends_on",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "depends_on": forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        }
        labels = {"owner": _("Federführende Organisation"), "depends_on": _("Wartet auf")}
        help_texts = {
            "depends_on": _(
                "Maßnahmen, die vorher fertig sein müssen. Verzögern sie sich über den Beginn "
                "dieser Maßnahme hinaus, gilt diese als gefährdet."
            )
        }
        field_classes = {"depends_on": CheckedModelMultipleChoiceField}

    def __init__(self, *args, goals, predecessors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        if predecessors is None:
            del self.fields["depends_on"]
        else:
            if self.instance.pk:
                predecessors = predecessors.exclude(pk=self.instance.pk)
            self.fields["depends_on"].queryset = predecessors.order_by("title", "id")
        self.fields["working_group"].queryset = WorkingGroup.objects.order_by("name")
        label_empty_choices(self)
        if self.instance.pk:
            self.initial.setdefault(
                "partners",
                [p.organisation for p in self.instance.parties.all() if p.role == "partner"],
            )


class StatusReportForm(forms.ModelForm):
    class Meta:
        model = StatusUpdate
        fields = ["status", "progress", "note"]
        widgets = {
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "progress": _("0 bis 100. Eine abgeschlossene Maßnahme steht bei 100 %."),
            "note": _("Was ist geschehen, was kommt als Nächstes? Markdown ist möglich."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)


class PublicationForm(forms.Form):
    """A step of the publication workflow; withdrawing asks for a reason."""

    reason = forms.CharField(
        label=_("Grund"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=WITHDRAW_REASON_MAX_LENGTH,
        required=False,
        help_text=_(
            "Warum verschwindet der Eintrag von der öffentlichen Seite? Der Grund wird im "
            "Änderungsprotokoll festgehalten."
        ),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if action == PublicationAction.WITHDRAW:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Bitte sagen Sie, warum Sie die Veröffentlichung zurückziehen."
            )
        else:
            del self.fields["reason"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE_WIDGET}


class StatusImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder Excel)"),
        help_text=_(
            "Eine Zeile je Bericht, die erste Zeile nennt die Spalten: Nr. (oder der Titel der "
            "Maßnahme), Status, Fortschritt, Bericht. CSV mit Semikolon oder Komma, wie Excel "
            "oder LibreOffice sie speichern, oder eine Excel-Arbeitsmappe (.xlsx); höchstens "
            "2 MB."
        ),
        widget=forms.FileInput(
            attrs={"accept": ".csv,.txt,.xlsx,text/csv,text/plain," + importing.XLSX_TYPE}
        ),
    )

    def clean_file(self):
        """The file's records and the line where it stops being CSV (or None)."""
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 2 MB."))
        return importing.read_records(name=upload.name or "", data=upload.read())


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "title", "unit", "direction", "baseline_value", "baseline_date", "target_value",
            "target_date",
        ]  # fmt: skip
        widgets = {"baseline_date": DATE_WIDGET, "target_date": DATE_WIDGET}
        help_texts = {
            "unit": _("z. B. Unternehmen, Teilnehmende, GWh"),
            "baseline_date": _("Ab diesem Tag verläuft der Soll-Wert gerade bis zum Ziel."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored with three decimal places; shown as entered ("150", not "150.000", which
        # reads as a hundred and fifty thousand in German).
        for name in ("baseline_value", "target_value"):
            value = self.initial.get(name)
            if value is not None and not self.is_bound:
                self.initial[name] = _plain_number(value)


def _plain_number(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["date", "value", "note"]
        widgets = {"date": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": _("Quelle oder Erläuterung, z. B. „Zählung der Anmeldungen“.")}


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["title", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}
        help_texts = {"title": _("z. B. „bis 2. Kongress, 6. Juni 2024“")}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("Wird im Änderungsprotokoll festgehalten."),
        error_messages={"required": _("Bitte sagen Sie, warum Sie den Zeitraum wieder öffnen.")},
    )
