"""Goals and measures: status reports (append-only), milestones, publication, imports.

Layers (each app imports only those to its left):
core ← accounts ← notifications ← comments ← charta ← **measures** ← portal.

- ``workflow.py``: publication and implementation states.
- ``services.py``: every write (goals, measures, status reports, milestones, reminders).
- ``selectors.py``: reads for a user, with overdue and at-risk flags computed in SQL.
- ``importing.py``: the bulk import of status reports from a file.
Goals and measures are comment targets (registered in ``apps.py``).
"""
