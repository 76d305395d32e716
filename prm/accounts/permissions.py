"""Request-level permission checks: the single layer portal views, API and admin share."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import role_can


def on_platform_host(request) -> bool:
    return getattr(request, "is_platform_host", False)


def is_operator(request) -> bool:
    """A platform operator, on the platform host."""
    return on_platform_host(request) and request.user.is_active and request.user.is_staff


def request_membership(request):
    """The active membership behind `request` (a Django or DRF request), or None."""
    return getattr(request, "membership", None)


def request_role(request) -> str | None:
    membership = request_membership(request)
    return membership.role if membership is not None else None


def request_can(request, capability: str) -> bool:
    return role_can(request_role(request), capability)


def capability_required(capability: str):
    """Portal view decorator: sign in first, then 403 unless the role grants `capability`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request_can(request, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view):
    return capability_required("portal.use")(view)
