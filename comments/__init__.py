"""Comments on anything: threads, open/resolved, paragraph anchors, edits, reports, moderation.

Layers (each app imports only those to its left):
core ← accounts ← notifications ← **comments** ← charta ← measures ← portal.

It knows no domain model: an app registers its objects as targets (``targets.register``: their
scope, their paragraphs, who is told of a new comment) and one policy says who may read, write
and moderate in a scope. The charta calls ``services.comments_reanchor`` after a save.
"""
