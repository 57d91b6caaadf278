"""Plumbing that every app uses and that knows no domain.

Layers (each app imports only those to its left):
**core** ← accounts ← notifications ← comments ← charta ← measures ← portal.

- ``caching``: the public page cache, conditional GET, the content stamps and the API read cache.
- ``api``: API pagination and the one exception handler.
- ``errors``: the base class of domain errors that answer 409.
- ``http``: small helpers for views (safe redirects, query-string values).
- ``forms``: showing a service's ValidationError on a form.
"""
