"""Domain errors that views and the API turn into answers a person can read."""


class Conflict(Exception):
    """The request was based on a state that is no longer current; nothing was written.

    Subclasses name what conflicted; the API answers 409 with ``detail`` and ``payload()``.
    """

    def payload(self) -> dict:
        return {}
