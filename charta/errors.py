"""Domain errors of the charta that views and the API turn into answers a person can read."""

from django.utils.translation import gettext as _

from core.errors import Conflict


class EditConflict(Conflict):
    """A save or a workflow step based on a revision that is no longer the latest; nothing
    was written. ``message`` says what was refused; by default, that a text was not saved."""

    def __init__(
        self,
        *,
        section,
        base_revision: int | None,
        latest_revision: int | None,
        message: str | None = None,
    ):
        self.section = section
        self.base_revision = base_revision
        self.latest_revision = latest_revision
        if message is None:
            message = _(
                "Der Text wurde inzwischen geändert (Revision %(latest)s). Ihre Fassung beruht "
                "auf Revision %(base)s und wurde nicht gespeichert."
            ) % {"latest": latest_revision or "–", "base": base_revision or "–"}
        super().__init__(message)

    def payload(self) -> dict:
        return {"base_revision": self.base_revision, "latest_revision": self.latest_revision}


class SuggestionConflict(Conflict):
    """Suggestions that cannot be applied to the latest text: outdated ones (their quote
    changed) or ones that overlap each other. Nothing was written."""

    def __init__(self, *, outdated: list[int], overlapping: list[tuple[int, int]]):
        self.outdated = outdated
        self.overlapping = overlapping
        parts = []
        if outdated:
            parts.append(
                _("Diese Vorschläge passen nicht mehr zum aktuellen Text (veraltet): %(ids)s.")
                % {"ids": ", ".join(f"#{pk}" for pk in outdated)}
            )
        if overlapping:
            parts.append(
                _("Diese Vorschläge betreffen dieselbe Stelle: %(pairs)s.")
                % {"pairs": "; ".join(f"#{a} und #{b}" for a, b in overlapping)}
            )
        parts.append(_("Es wurde nichts übernommen."))
        super().__init__(" ".join(parts))

    def payload(self) -> dict:
        return {"outdated": self.outdated, "overlapping": [list(pair) for pair in self.overlapping]}
