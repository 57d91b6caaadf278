"""The Atom feed of publications of charta sections and public status reports."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from charta.selectors import FIELDS_TAG
from core.caching import depends_on

from ..selectors import NewsEvent, public_news

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def _tag_uri(request: HttpRequest, moment: datetime.datetime, specific: str) -> str:
    """A tag URI (RFC 4151) of this site: the same entry keeps the same id for ever."""
    host = urlsplit(request.build_absolute_uri("/")).hostname
    return f"tag:{host},{moment.astimezone(datetime.UTC):%Y-%m-%d}:itas-charta/{specific}"


@dataclass(frozen=True)
class NewsItem:
    """A feed entry with an absolute link and a unique, stable id (a tag URI, RFC 4151)."""

    title: str
    description: str
    link: str
    guid: str
    updated: datetime.datetime
    category: str

    @classmethod
    def from_event(cls, event: NewsEvent, request: HttpRequest) -> "NewsItem":
        if event.section is not None:
            section = event.section
            revision = section.published_revision
            link = request.build_absolute_uri(section.action_field.get_absolute_url())
            description = "<p>{}</p>".format(
                escape(
                    _("%(charta)s: Abschnitt „%(title)s“, Revision %(number)s veröffentlicht.")
                    % {
                        "charta": section.charta.title,
                        "title": section.title,
                        "number": revision.number,
                    }
                )
            )
            if revision.message:
                description += f"<p>{escape(revision.message)}</p>"
            return cls(
                title=_("Veröffentlicht: %(title)s (Revision %(number)s)")
                % {"title": section.title, "number": revision.number},
                description=description,
                link=link,
                guid=_tag_uri(
                    request, event.updated, f"abschnitt/{section.pk}/revision/{revision.number}"
                ),
                updated=event.updated,
                category=section.action_field.title,
            )
        report = event.report
        measure = report.measure
        link = request.build_absolute_uri(measure.get_absolute_url())
        summary = "<p>{}</p>".format(
            escape(
                _("Umsetzungsstand: %(status)s, Fortschritt: %(progress)s %%")
                % {"status": report.get_status_display(), "progress": report.progress}
            )
        )
        return cls(
            title=_("%(measure)s: %(status)s (%(progress)s %%)")
            % {
                "measure": measure.title,
                "status": report.get_status_display(),
                "progress": report.progress,
            },
            # note_html is sanitised when the report is written.
            description=summary + report.note_html,
            link=link,
            guid=_tag_uri(request, event.updated, f"statusbericht/{report.pk}"),
            updated=event.updated,
            category=measure.goal.action_field.title,
        )


class StyledAtomFeed(Atom1Feed):
    """Atom with the feed's stylesheets as xml-stylesheet instructions (Django writes them
    for RSS only)."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class NewsFeed(Feed):
    """Atom feed of the latest publications of charta sections and public status reports."""

    feed_type = StyledAtomFeed
    author_name = "ITAS-Konsortium"

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        # Links and ids are made absolute from the request; the feed instance is shared
        # between requests, so the request travels as the feed's object.
        return request

    def stylesheets(self) -> list[Stylesheet]:
        """A browser that opens the feed shows a hint what it is for, not raw XML."""
        return [Stylesheet(static("css/feed.css"), mimetype="text/css")]

    def title(self) -> str:
        return _("ITAS-Charta: Neuigkeiten")

    def subtitle(self) -> str:
        return _("Veröffentlichte Abschnitte der Charta und Statusberichte zu den Maßnahmen")

    def link(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("home"))

    def feed_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("opendata:news"))

    def feed_guid(self, request: HttpRequest) -> str:
        return self.feed_url(request)

    def feed_copyright(self) -> str:
        return LICENCE_NAME

    def items(self, request: HttpRequest) -> list[NewsItem]:
        depends_on(FIELDS_TAG)
        return [NewsItem.from_event(event, request) for event in public_news()]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.description

    def item_link(self, item: NewsItem) -> str:
        return item.link

    def item_guid(self, item: NewsItem) -> str:
        return item.guid

    def item_pubdate(self, item: NewsItem) -> datetime.datetime:
        return item.updated

    def item_updateddate(self, item: NewsItem) -> datetime.datetime:
        return item.updated

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.category]
