from django.contrib.auth import logout

from .permissions import is_operator
from .selectors import membership_get_active

SESSION_SCOPE_KEY = "prm_scope"


def session_scope(request) -> str:
    """What a session is bound to: the platform host or one tenant."""
    return "platform" if request.is_platform_host else f"tenant:{request.tenant.pk}"


class MembershipMiddleware:
    """Keep sessions on the host they were issued on, for members only.

    A session issued on another tenant's host (or the platform host), or whose
    membership has since been deactivated, is ended before any view sees it.
    Sets `request.membership` (None on the platform host and for anonymous users).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.tenant is None and not request.is_platform_host:
            return self.get_response(request)  # host-independent paths such as /healthz
        user = request.user
        if user.is_authenticated:
            if request.session.get(SESSION_SCOPE_KEY) != session_scope(request):
                logout(request)
            elif request.is_platform_host:
                if not is_operator(request):
                    logout(request)
            else:
                request.membership = membership_get_active(user=user)
                if request.membership is None:
                    logout(request)
        return self.get_response(request)


def bind_session_on_login(sender, request, user, **kwargs) -> None:
    from .services import membership_record_sign_in

    if request is None or not hasattr(request, "is_platform_host"):
        return
    request.session[SESSION_SCOPE_KEY] = session_scope(request)
    if not request.is_platform_host:
        membership_record_sign_in(user=user)
