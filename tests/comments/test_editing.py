"""Authors correct their comments for a while, through the page and the API."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from comments.models import Comment, CommentEdit
from comments.services import comment_create
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
