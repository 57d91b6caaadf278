"""Forms and services speak the same errors; form fields that every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .parsing import parse_id


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no row can have before they reach the
    database. Django looks the chosen ids up with ``pk__in``, and SQLite cannot even send a
    number beyond 64 bits (OverflowError: a server error instead of a form error)."""

    def _check_values(self, value):
        key_is_integer_pk = self.to_field_name is None and isinstance(
            self.queryset.model._meta.pk, models.IntegerField
        )
        if key_is_integer_pk:
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:40]},
                    )
        return super()._check_values(value)


def label_empty_choices(form: forms.Form) -> None:
    """Name the empty choice of every select (Django shows "---------"): "bitte wählen" where
    a choice is required, "keine" where none may be chosen."""
    from django.utils.translation import gettext_lazy as _

    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            field.empty_label = _("– bitte wählen –") if field.required else _("– keine –")
            # The widget copied the choices when the field was made.
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and choices[0][1] == "---------":
                label = _("– bitte wählen –") if field.required else _("– keine –")
                field.choices = [("", label), *choices[1:]]
