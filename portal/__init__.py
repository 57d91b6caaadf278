"""The portal: everything that reads across the domains for a person or the public.

Layers (each app imports only those to its left):
core ← accounts ← notifications ← comments ← charta ← measures ← **portal**.

- ``views``, ``urls``: home, the Handlungsfeld pages, the dashboard, search, the progress
  report, the partner organisations.
- ``selectors``: cross-domain reads (organisations and what they own, public content).
- ``dashboard`` (figures) and ``charts`` (SVG drawing); ``search``; ``progress_report``.
- ``opendata``: CSV, XLSX, iCal and Atom of published content.
- ``demo``: the demo data of ``manage.py loaddemo``; ``seedbench`` for benchmarks.
"""
