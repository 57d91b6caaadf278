"""Who may manage accounts and roles."""

ASSIGN_ROLES = "accounts.assign_roles"


def can_assign_roles(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(ASSIGN_ROLES))
    )


def can_unlock_accounts(user) -> bool:
    """Coordinators lift login locks: they manage the accounts and roles."""
    return can_assign_roles(user)
