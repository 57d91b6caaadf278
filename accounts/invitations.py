"""Invitation links: signed, expiring, and good for one use only.

The link names the account and a fingerprint of its password and last login. Setting the
password changes the fingerprint, so a link works once; the signature's age makes it expire.
Nothing is stored: a new invitation simply makes a new link.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

SALT = "accounts.invitation"


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "INVITATION_DAYS", 7))


def _fingerprint(user: User) -> str:
    return salted_hmac(SALT, f"{user.pk}|{user.password}|{user.last_login}").hexdigest()[:24]


def make_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "state": _fingerprint(user)}, salt=SALT)


def user_for_token(token: str) -> User | None:
    """The invited account, or None when the link is forged, expired or used already."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(_fingerprint(user), str(data.get("state"))):
        return None
    return user
