from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        manager = user_model._default_manager
        # A username may contain "@" too: the exact username wins over an e-mail match.
        user = manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None and "@" in username:
            user = manager.filter(email__iexact=username).first()
        if user is None:
            # Same cost as a real check, so that timing does not reveal unknown accounts.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
