from .selectors import unread_count


def notifications(request):
    """The unread count in the navigation bar (one query per page for a signed-in user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
