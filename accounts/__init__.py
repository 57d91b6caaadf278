"""Accounts: people, partner organisations, memberships, working groups and roles.

Layers (each app imports only those to its left):
core ← **accounts** ← notifications ← comments ← charta ← measures ← portal.

- ``roles.py``: the one place that says which permissions each role holds; grant and revoke.
- ``audit.py``: the audit log that every service writes to; the client's address.
- ``privacy.py``: a person's data export and the anonymisation of an account.
- ``backends.py``: login by username or e-mail address.
"""
