"""Domain errors of the charta that views and the API turn into answers a person can read."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


class MergeConflict(EditConflict):
    """Both the latest revision and the submitted text changed the same passages since the
    writer's base revision; nothing was written. ``merge`` holds the merged parts with the
    conflicting chunks, for a page that lets the writer settle them one by one."""

    def __init__(self, *, section, base_revision, latest_revision, merge):
        self.merge = merge
        count = len(merge.conflicts)
        super().__init__(
            section=section,
            base_revision=base_revision,
            latest_revision=latest_revision,
            message=ngettext(
                "Ihre Fassung (auf Grundlage von Revision %(base)s) und Revision %(latest)s "
                "ändern dieselbe Stelle. Es wurde nichts gespeichert; bitte entscheiden Sie, "
                "welche Fassung gelten soll.",
                "Ihre Fassung (auf Grundlage von Revision %(base)s) und Revision %(latest)s "
                "ändern dieselben %(count)s Stellen. Es wurde nichts gespeichert; bitte "
                "entscheiden Sie für jede Stelle, welche Fassung gelten soll.",
                count,
            )
            % {"base": base_revision or "–", "latest": latest_revision, "count": count},
        )

    def payload(self) -> dict:
        return {
            **super().payload(),
            "conflicts": [conflict.as_dict() for conflict in self.merge.conflicts],
        }


class RemovalNeedsConfirmation(EditConflict):
    """The save would remove text that a colleague added since the writer's base revision;
    nothing was written. Saving again with the removals confirmed writes ``text``."""

    def __init__(self, *, section, base_revision, latest_revision, removals: list, text: str):
        self.removals = removals
        self.removed = [removal.text for removal in removals]
        self.text = text
        super().__init__(
            section=section,
            base_revision=base_revision,
            latest_revision=latest_revision,
            message=ngettext(
                "Ihre Fassung entfernt eine Stelle, die seit Revision %(base)s von anderen "
                "hinzugefügt wurde. Es wurde nichts gespeichert; bitte bestätigen Sie, dass "
                "sie entfallen soll.",
                "Ihre Fassung entfernt %(count)s Stellen, die seit Revision %(base)s von "
                "anderen hinzugefügt wurden. Es wurde nichts gespeichert; bitte bestätigen "
                "Sie, dass sie entfallen sollen.",
                len(removals),
            )
            % {"base": base_revision or "–", "count": len(removals)},
        )

    def payload(self) -> dict:
        return {
            **super().payload(),
            "removed": self.removed,
            "removed_in_context": [removal.as_dict() for removal in self.removals],
        }


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
