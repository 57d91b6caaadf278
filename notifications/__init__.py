"""Notifications: a person's inbox, their settings, e-mail at once or as a daily digest.

Layers (each app imports only those to its left):
core ← accounts ← **notifications** ← comments ← charta ← measures ← portal.

It knows no domain: the domain services decide who is told what and call
``services.notify``; each app registers the kinds of notice it sends (``kinds.register``), which
people switch on and off in their settings.
"""
