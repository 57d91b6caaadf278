"""Login lockout per account (django-axes), whatever name or e-mail address was typed.

django-axes counts failures under a key it gets from AXES_USERNAME_CALLABLE. Here that key is
the account's username, found the way people log in (username or e-mail address) but
regardless of case, so that "partner", "PARTNER" and partner's e-mail address share one
count: five wrong passwords lock the account, not one spelling of its name. A typed name
that matches no account is counted under its case-folded self, so that unknown names are
locked out exactly like known ones and the answers do not tell which accounts exist.
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import User

# AccessAttempt.username is a CharField(max_length=255).
KEY_MAX_LENGTH = 255


def account_for_name(name: str) -> User | None:
    """The account a typed login name means, ignoring case: the exact username first (as the
    login does), then the e-mail address, then a username that differs only in case."""
    name = (name or "").strip()
    if not name:
        return None
    lookup = Q(username__iexact=name)
    if "@" in name:
        lookup |= Q(email__iexact=name)
    candidates = list(User.objects.filter(lookup).order_by("pk")[:10])
    for matches in (
        lambda user: user.username == name,
        lambda user: "@" in name and user.email.casefold() == name.casefold(),
        lambda user: user.username.casefold() == name.casefold(),
    ):
        found = [user for user in candidates if matches(user)]
        if len(found) == 1:
            return found[0]
    return None


def key_for_name(name: str) -> str | None:
    """The lockout key of a typed login name: its account's username, else the name itself."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        return None
    account = account_for_name(name[:KEY_MAX_LENGTH])
    key = account.get_username() if account is not None else name.casefold()
    return key[:KEY_MAX_LENGTH]


def key_for_user(user: User) -> str:
    return user.get_username()[:KEY_MAX_LENGTH]


def lockout_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the key under which a login attempt's failures are counted.

    axes calls it with the credentials given to authenticate() (the typed name) and, after a
    successful login, with the account's username; both lead to the same key.
    """
    if credentials:
        name = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        name = data.get("username")
    return key_for_name(name)


def _recent_attempts(user: User):
    attempts = AccessAttempt.objects.filter(username=key_for_user(user))
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return attempts


def is_locked(user: User) -> bool:
    """Whether the account is locked out now (until the cool-off ends or someone unlocks it).

    The same sum as django-axes' database handler: failures within the cool-off time.
    """
    failures = _recent_attempts(user).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def clear_failures(user: User) -> int:
    """Forget the account's failed logins, which unlocks it; the number of records removed."""
    return reset(username=key_for_user(user))


def with_lock_state(users: QuerySet[User]) -> QuerySet[User]:
    """``users`` annotated with ``recent_failures`` (failed logins within the cool-off), in
    the same query; ``is_locked_out(user)`` reads it."""
    attempts = AccessAttempt.objects.filter(username=OuterRef("username"))
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    totals = (
        attempts.order_by()
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return users.annotate(recent_failures=Coalesce(Subquery(totals), 0))


def is_locked_out(user: User) -> bool:
    """For a user from ``with_lock_state``: locked out now."""
    return user.recent_failures >= settings.AXES_FAILURE_LIMIT
