"""Plumbing that every app uses and that knows no domain.

Layers (each app imports only those to its left):
**core** ← accounts ← notifications ← comments ← charta ← measures ← portal.

- ``caching``: the public page cache, conditional GET, the content stamps and the API read cache.
- ``api``: the API's parsers (no NUL characters, no JSON nested too deep), pagination and the
  one exception handler.
- ``errors``: the base class of domain errors that answer 409; the message for a body too big.
- ``rendering``: Markdown to sanitised HTML, with paragraph anchors.
- ``http``: reading ids and dates from the query string; going back to the page of a form.
- ``parsing`` and ``validators``: reading numbers, ids and dates; the range of dates (1990–2100).
- ``forms``: showing a service's ValidationError on a form; shared form fields.
- ``middleware``: refusing addresses with NUL characters.
"""
