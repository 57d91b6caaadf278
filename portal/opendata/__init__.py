"""Open data: published goals and measures as CSV and XLSX, deadlines as iCal, news as Atom.

Every read here is made as the public sees the platform (an ``AnonymousUser``), whoever sends
the request: a coordinator who downloads a file to pass it on must never pass on drafts.
Spreadsheet cells are defused against formula injection (CSV/DDE injection): a text that a
spreadsheet would read as a formula gets a leading apostrophe.

- ``tables``: which columns the goal and measure files have, read as the public sees them.
- ``spreadsheets``: CSV and XLSX files of a table.
- ``calendar``: the deadlines as iCalendar.
- ``feed``: the Atom feed of publications and status reports.
- ``views``, ``urls``: the downloads and the overview page.
"""
