"""API plumbing shared by every app: pagination and the one exception handler."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from charta.errors import EditConflict
from config.errors import too_big_message


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which also refuses JSON nested too deep for Python to read (the
    parser's RecursionError would otherwise answer 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Die JSON-Daten sind zu tief verschachtelt.")) from None


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
    if isinstance(exc, EditConflict):
        return Response(
            {
                "detail": str(exc),
                "base_revision": exc.base_revision,
                "latest_revision": exc.latest_revision,
            },
            status=status.HTTP_409_CONFLICT,
        )
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
