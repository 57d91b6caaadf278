"""The charta: editions, Handlungsfelder, sections, their revisions and the review workflow.

Layers (each app imports only those to its left):
core ← accounts ← notifications ← comments ← **charta** ← measures ← portal.

- ``workflow.py``: the section workflow as a table (states, transitions, who may take them).
- ``services.py``: saving text (always a new revision), workflow steps, who is told.
- ``permissions.py``: the field permissions, also the policy for comments in a field.
- ``diffing.py``: comparing revisions.
Sections are comment targets (registered in ``apps.py``); a save re-anchors their comments.
"""
