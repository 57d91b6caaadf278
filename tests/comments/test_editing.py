"""Authors correct their comments for a while, through the page and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from comments.models import Comment, CommentEdit
from comments.permissions import can_edit_comment
from comments.services import comment_create, comment_edit, comment_hide
from tests.conftest import fresh


def _comment(section, author, body="Erste Fassung.") -> Comment:
    return comment_create(actor=fresh(author), target=section, body=body)


def test_author_edits_a_comment_on_the_page_and_the_old_text_is_kept(
    client, drafted_section, commenter
):
    comment = _comment(drafted_section, commenter)
    client.force_login(commenter)
    page = client.get(drafted_section.get_absolute_url()).content.decode()
    assert f"/kommentare/{comment.pk}/bearbeiten/" in page

    response = client.post(
        f"/kommentare/{comment.pk}/bearbeiten/",
        {"body": "Korrigierte Fassung.", "next": drafted_section.get_absolute_url()},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Korrigierte Fassung."
    assert list(CommentEdit.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "Erste Fassung."
    ]


def test_the_edit_form_is_offered_only_to_the_author_within_the_window(
    client, drafted_section, commenter, editor
):
    comment = _comment(drafted_section, commenter)
    edit_url = f"/kommentare/{comment.pk}/bearbeiten/"
    client.force_login(editor)
    assert edit_url not in client.get(drafted_section.get_absolute_url()).content.decode()

    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    client.force_login(commenter)
    assert edit_url not in client.get(drafted_section.get_absolute_url()).content.decode()


def test_author_edits_a_comment_through_the_api(drafted_section, commenter):
    comment = _comment(drafted_section, commenter)
    api = APIClient()
    api.force_authenticate(fresh(commenter))

    response = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Per API korrigiert."})

    assert response.status_code == 200, response.json()
    assert response.json()["body"] == "Per API korrigiert."
    assert response.json()["edited_at"] is not None


def test_nobody_else_edits_a_comment_through_the_api(drafted_section, commenter, editor):
    comment = _comment(drafted_section, commenter)
    api = APIClient()
    api.force_authenticate(fresh(editor))

    response = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Fremd geändert."})

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Erste Fassung."


# One rule for the page, the API and the service -----------------------------------------


def _hidden(comment, coordinator) -> Comment:
    return comment_hide(actor=fresh(coordinator), comment=comment, reason="Beleidigend")


def test_a_hidden_comment_cannot_be_edited_by_its_author(drafted_section, commenter, coordinator):
    comment = _hidden(_comment(drafted_section, commenter), coordinator)

    with pytest.raises(PermissionDenied):
        comment_edit(actor=fresh(commenter), comment=comment, body="Doch noch geändert.")

    comment.refresh_from_db()
    assert comment.body == "Erste Fassung."
    assert not CommentEdit.objects.exists()


def test_a_hidden_comment_cannot_be_edited_through_the_api(drafted_section, commenter, coordinator):
    comment = _hidden(_comment(drafted_section, commenter), coordinator)
    api = APIClient()
    api.force_authenticate(fresh(commenter))

    response = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Per API geändert."})

    assert response.status_code == 403
    assert response.json()["detail"]
    comment.refresh_from_db()
    assert comment.body == "Erste Fassung."
    assert not CommentEdit.objects.exists()


def test_a_hidden_comment_cannot_be_edited_through_the_page(
    client, drafted_section, commenter, coordinator
):
    comment = _hidden(_comment(drafted_section, commenter), coordinator)
    client.force_login(commenter)

    response = client.post(
        f"/kommentare/{comment.pk}/bearbeiten/", {"body": "Auf der Seite geändert."}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Erste Fassung."


@pytest.mark.parametrize(
    ("who", "hidden", "minutes_ago"),
    [
        ("commenter", False, 1),
        ("commenter", False, 31),
        ("commenter", True, 1),
        ("editor", False, 1),
        ("coordinator", False, 1),
    ],
)
def test_the_service_allows_an_edit_exactly_when_the_permission_check_does(
    who, hidden, minutes_ago, request, drafted_section, commenter, coordinator
):
    comment = _comment(drafted_section, commenter)
    if hidden:
        comment = _hidden(comment, coordinator)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    comment = Comment.objects.get(pk=comment.pk)
    actor = fresh(request.getfixturevalue(who))

    allowed = can_edit_comment(actor, comment)
    try:
        comment_edit(actor=actor, comment=comment, body="Geändert.")
    except (PermissionDenied, ValidationError):
        edited = False
    else:
        edited = True

    assert edited == allowed
