"""API plumbing shared by every app: parsers, pagination and the one exception handler."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict, too_big_message


def _encodable(data):
    """``data`` with every string made encodable as UTF-8. An error message may quote the
    input, and JSON input may hold half of a UTF-16 pair ("\\ud800"), which the renderer
    could not encode; such a character is shown as its escape instead."""
    if isinstance(data, str):
        return data.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(data, dict):
        return {_encodable(key): _encodable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_encodable(item) for item in data]
    return data


NUL = "\x00"


def _holds_nul(value) -> bool:
    """Whether any text in ``value`` (a parsed body, however nested) holds a NUL character.
    Iterative: a body nested as deep as the parser allows must not overflow the stack here."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _fields_with_nul(data) -> list[str]:
    if isinstance(data, QueryDict):
        items = list(data.lists())
    elif isinstance(data, dict):
        items = list(data.items())
    else:
        items = [("non_field_errors", data)]
    return [
        "non_field_errors" if NUL in str(name) else name
        for name, value in items
        if NUL in str(name) or _holds_nul(value)
    ]


class RefuseNulCharacters:
    """Refuse a body with a NUL character in any text, naming the fields (400).

    PostgreSQL stores no NUL in text. DRF's CharField refuses it, but a text that is looked
    up (a slug of a SlugRelatedField, a filter value) would reach the database and fail as
    a server error; checked here, every endpoint is covered at once.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = parsed.data if isinstance(parsed, parsers.DataAndFiles) else parsed
        fields = _fields_with_nul(data)
        if fields:
            message = str(ProhibitNullCharactersValidator.message)
            raise ValidationError({field: [message] for field in dict.fromkeys(fields)})
        return parsed


class JSONParser(RefuseNulCharacters, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # json raises it for arrays or objects nested deeper than the interpreter's
            # recursion limit; DRF only turns ValueError into a parse error.
            raise ParseError(_("Die JSON-Daten sind zu tief verschachtelt.")) from None


class FormParser(RefuseNulCharacters, parsers.FormParser):
    pass


class MultiPartParser(RefuseNulCharacters, parsers.MultiPartParser):
    pass


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [
            str(item) if not isinstance(item, dict | list) else _field_errors(item)
            for item in detail
        ]
    return [str(detail)]


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for key, value in errors.items():
            message = _first_message(value)
            return message if key in ("non_field_errors", "__all__") else f"{key}: {message}"
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def exception_handler(exc, context):
    """Every error is JSON with a ``detail`` a person can read; 400s name their fields."""
    response = _error_response(exc, context)
    if response is not None:
        response.data = _encodable(response.data)
    return response


def _error_response(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), **exc.payload()}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, SuspiciousOperation):
        # A body too big, too many fields or files, or a request Django refuses to read:
        # logged where Django logs the ones it answers itself, answered in JSON.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        if isinstance(exc, RequestDataTooBig):
            return Response(
                {"detail": too_big_message()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            )
        return Response(
            {"detail": _("Ungültige Anfrage. Bitte prüfen Sie Adresse und Daten.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = _field_errors(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        if "__all__" in errors:
            errors["non_field_errors"] = errors.pop("__all__")
        response.data = {
            "detail": _("Ungültige Eingabe – %(first)s") % {"first": _first_message(errors)},
            "errors": errors,
        }
    return response
