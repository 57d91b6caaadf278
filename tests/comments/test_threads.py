"""Threaded comments: replies, visibility, length limit, safe Markdown (charta.services)."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from comments import selectors
from comments.models import Comment
from comments.services import comment_create, comment_edit
from tests.conftest import fresh
from tests.factories import GoalFactory, SectionFactory

from .conftest import reload

pytestmark = pytest.mark.django_db

MAX_LENGTH = 5000


def section_url(section) -> str:
    return f"/charta/abschnitt/{section.pk}/"


class _ArticleNesting(HTMLParser):
    """For each ``<article id="kommentar-N">``: the ids of the comment articles around it."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.parents: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "article":
            return
        article_id = dict(attrs).get("id") or ""
        if article_id.startswith("kommentar-"):
            self.parents[article_id] = list(self.stack)
        self.stack.append(article_id)

    def handle_endtag(self, tag):
        if tag == "article":
            self.stack.pop()


def enclosing_comments(html: str) -> dict[str, list[str]]:
    parser = _ArticleNesting()
    parser.feed(html)
    return parser.parents


# Replies ---------------------------------------------------------------------------------


def test_reply_attaches_to_the_parents_target(drafted_section, reviewer, editor):
    parent = comment_create(actor=reviewer, target=drafted_section, body="Absatz 2 ist zu vage.")

    reply = comment_create(
        actor=editor, target=drafted_section, body="Wird präzisiert.", parent=parent
    )

    assert reply.parent == parent
    assert (reply.content_type_id, reply.object_id) == (parent.content_type_id, parent.object_id)
    assert list(parent.replies.all()) == [reply]


def test_reply_to_a_comment_on_another_target_is_refused_naming_parent(
    drafted_section, charta, other_field, coordinator
):
    other_section = SectionFactory(charta=charta, action_field=other_field)
    elsewhere = comment_create(actor=coordinator, target=other_section, body="Anderswo.")

    with pytest.raises(ValidationError) as refused:
        comment_create(
            actor=fresh(coordinator), target=drafted_section, body="Antwort", parent=elsewhere
        )

    assert "parent" in refused.value.message_dict
    assert not Comment.objects.filter(body="Antwort").exists()


def test_reply_to_a_comment_on_a_goal_is_refused_on_a_section(drafted_section, field, reviewer):
    on_goal = comment_create(actor=reviewer, target=GoalFactory(action_field=field), body="Ziel?")

    with pytest.raises(ValidationError) as refused:
        comment_create(actor=reviewer, target=drafted_section, body="Antwort", parent=on_goal)

    assert "parent" in refused.value.message_dict


def test_api_refuses_a_reply_to_another_targets_comment(
    client, drafted_section, charta, other_field, coordinator
):
    other_section = SectionFactory(charta=charta, action_field=other_field)
    elsewhere = comment_create(actor=coordinator, target=other_section, body="Anderswo.")
    client.force_login(coordinator)

    response = client.post(
        "/api/v1/comments/",
        {"target": f"section:{drafted_section.pk}", "body": "Antwort", "parent": elsewhere.pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    assert not Comment.objects.filter(body="Antwort").exists()


def test_section_page_shows_a_reply_inside_its_comment(client, drafted_section, reviewer, editor):
    parent = comment_create(actor=reviewer, target=drafted_section, body="Zu vage formuliert.")
    reply = comment_create(
        actor=editor, target=drafted_section, body="Danke, ich präzisiere.", parent=parent
    )
    client.force_login(editor)

    response = client.get(section_url(drafted_section))

    assert response.status_code == 200
    nesting = enclosing_comments(response.content.decode())
    assert nesting[f"kommentar-{parent.pk}"] == []
    assert nesting[f"kommentar-{reply.pk}"] == [f"kommentar-{parent.pk}"]


def test_comment_threads_nest_replies_under_their_top_level_comment(
    drafted_section, reviewer, editor, partner
):
    parent = comment_create(actor=reviewer, target=drafted_section, body="Erster Kommentar")
    reply = comment_create(actor=editor, target=drafted_section, body="Antwort", parent=parent)
    nested = comment_create(actor=partner, target=drafted_section, body="Darauf", parent=reply)
    second = comment_create(actor=partner, target=drafted_section, body="Zweiter Kommentar")

    threads = selectors.comment_threads(fresh(editor), drafted_section)

    assert threads == [parent, second]
    assert threads[0].thread == [reply, nested]
    assert threads[1].thread == []


# Who sees comments -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "outsider", "wg_member"])
def test_comments_are_hidden_from_those_who_may_not_read_drafts(
    role, as_role, client, published_section, reviewer
):
    comment_create(actor=reviewer, target=published_section, body="Interner Prüfhinweis")
    user = as_role(role)
    if user.is_authenticated:
        client.force_login(user)

    page = client.get(section_url(published_section))
    api = client.get("/api/v1/comments/", {"target": f"section:{published_section.pk}"})

    assert page.status_code == 200  # the published text is public
    assert "Interner Prüfhinweis" not in page.content.decode()
    assert selectors.comment_threads(user, published_section) == []
    assert api.status_code == 200
    assert api.json()["results"] == []


@pytest.mark.parametrize("role", ["coordinator", "editor", "reviewer", "partner"])
def test_comments_are_shown_to_those_who_may_read_drafts(
    role, as_role, client, published_section, reviewer
):
    comment = comment_create(actor=reviewer, target=published_section, body="Interner Hinweis")
    user = as_role(role)
    client.force_login(user)

    page = client.get(section_url(published_section))

    assert "Interner Hinweis" in page.content.decode()
    assert selectors.comment_threads(user, published_section) == [comment]


# Length limit ----------------------------------------------------------------------------


def test_comment_of_exactly_the_length_limit_is_accepted(drafted_section, reviewer):
    comment = comment_create(actor=reviewer, target=drafted_section, body="x" * MAX_LENGTH)

    assert len(comment.body) == MAX_LENGTH


def test_comment_longer_than_the_limit_is_refused_by_the_service(drafted_section, reviewer):
    with pytest.raises(ValidationError) as refused:
        comment_create(actor=reviewer, target=drafted_section, body="x" * (MAX_LENGTH + 1))

    assert "body" in refused.value.message_dict
    assert not Comment.objects.exists()


def test_edit_longer_than_the_limit_is_refused(drafted_section, reviewer):
    comment = comment_create(actor=reviewer, target=drafted_section, body="kurz")

    with pytest.raises(ValidationError) as refused:
        comment_edit(actor=fresh(reviewer), comment=comment, body="x" * (MAX_LENGTH + 1))

    assert "body" in refused.value.message_dict
    comment.refresh_from_db()
    assert comment.body == "kurz"
    assert not comment.edits.exists()


def test_comment_longer_than_the_limit_is_refused_by_the_api(client, drafted_section, reviewer):
    client.force_login(reviewer)

    response = client.post(
        "/api/v1/comments/",
        {"target": f"section:{drafted_section.pk}", "body": "x" * (MAX_LENGTH + 1)},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Comment.objects.exists()


def test_comment_longer_than_the_limit_is_refused_by_the_form(client, drafted_section, reviewer):
    client.force_login(reviewer)

    response = client.post(
        "/kommentare/",
        {"target": f"section:{drafted_section.pk}", "body": "x" * (MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert "x" * (MAX_LENGTH + 1) in response.content.decode()
    assert not Comment.objects.exists()


# Markdown --------------------------------------------------------------------------------


def test_comment_markdown_is_rendered_and_raw_html_escaped(drafted_section, reviewer):
    comment = comment_create(
        actor=reviewer,
        target=drafted_section,
        body="**Wichtig**: <script>alert('x')</script> [Link](https://example.org)",
    )

    assert "<strong>Wichtig</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert 'rel="nofollow noopener"' in comment.body_html


def test_comment_html_has_no_paragraph_ids_or_permalinks(drafted_section, reviewer):
    comment = comment_create(
        actor=reviewer,
        target=drafted_section,
        body="## Überschrift\n\nErster Absatz.\n\nZweiter Absatz.\n\n- Punkt",
    )

    assert "Erster Absatz." in comment.body_html
    assert 'id="abs-' not in comment.body_html
    assert "permalink" not in comment.body_html
    assert " id=" not in comment.body_html


def test_section_page_shows_comment_html_escaped(client, drafted_section, reviewer, editor):
    comment_create(actor=reviewer, target=drafted_section, body="<script>alert(1)</script>")
    client.force_login(editor)

    html = client.get(section_url(reload(drafted_section))).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
