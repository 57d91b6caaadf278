"""The kinds of notice, registered by the apps that send them.

A kind is what a person chooses in their settings: in the inbox or not, e-mail at once, daily
or never. This app knows none of them; each domain app registers its own when it starts.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    # Where the kind stands in the settings (lower first).
    order: int = 100


_KINDS: dict[str, Kind] = {}


def register(code: str, label: str | Promise, *, order: int = 100) -> str:
    """Register a kind of notice (idempotent) and return its code."""
    if len(code) > 20:
        raise ValueError(f"notification kind {code!r} is longer than 20 characters")
    _KINDS[code] = Kind(code, label, order)
    return code


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def label(code: str) -> str | Promise:
    kind = _KINDS.get(code)
    return kind.label if kind is not None else code
