"""The health endpoint and structured logs (issue 8)."""

import json
import logging
import sys

import pytest
from django.db import connection

from config.logging import JsonFormatter


def test_healthz_answers_ok_when_the_database_is_reachable(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_needs_no_login_and_sets_no_cookie(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to server")

    # Undone before the test database is rolled back, which needs a working cursor.
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def record(message: str, level: int = logging.INFO, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.getLogger("charta.services").makeRecord(
        "charta.services", level, __file__, 1, message, (), exc_info, extra=extra or None
    )
    return made


def test_json_logs_are_one_object_per_line_with_time_level_logger_and_message():
    line = JsonFormatter().format(record("gespeichert"))

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "charta.services"
    assert entry["message"] == "gespeichert"
    assert entry["time"][:2] == "20"
    assert "T" in entry["time"]


def test_json_logs_fill_in_the_message_arguments_and_keep_umlauts():
    made = logging.getLogger("x").makeRecord(
        "x", logging.WARNING, __file__, 1, "Maßnahme %s überfällig", ("M-7",), None
    )

    entry = json.loads(JsonFormatter().format(made))

    assert entry["message"] == "Maßnahme M-7 überfällig"
    assert entry["level"] == "WARNING"


def test_json_logs_carry_the_exception_text():
    try:
        raise ValueError("kaputt")
    except ValueError:
        made = record("Fehler beim Senden", logging.ERROR, exc_info=sys.exc_info())

    line = JsonFormatter().format(made)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert "ValueError: kaputt" in entry["exception"]
    assert "Traceback" in entry["exception"]


def test_json_logs_carry_extra_fields_as_json_values():
    made = record("Anfrage", status_code=503, path="/healthz", user=object())

    entry = json.loads(JsonFormatter().format(made))

    assert entry["status_code"] == 503
    assert entry["path"] == "/healthz"
    assert isinstance(entry["user"], str)


@pytest.mark.parametrize("name", ["json", "plain"])
def test_both_log_formats_are_configured(name, settings):
    assert name in settings.LOGGING["formatters"]
    assert settings.LOGGING["formatters"]["json"]["()"] == "config.logging.JsonFormatter"
