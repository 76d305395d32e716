from allauth.mfa.models import Authenticator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from prm.tenancy.context import current_state

from .models import Membership
from .roles import VENDOR_ROLES, Role


def membership_get_active(*, user) -> Membership | None:
    """The user's active membership at the tenant in context, if any."""
    if not getattr(user, "is_authenticated", False) or current_state().tenant is None:
        return None
    return Membership.objects.filter(user=user, is_active=True).select_related("user").order_by().first()


def user_may_sign_in(*, user) -> bool:
    """Platform host: operators only. Tenant host: active members of that tenant only."""
    state = current_state()
    if not user.is_active:
        return False
    if state.platform:
        return user.is_staff
    if state.tenant is None:
        return False
    return Membership.objects.filter(user=user, is_active=True).exists()


def user_has_mfa(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def membership_list(*, roles=VENDOR_ROLES) -> QuerySet[Membership]:
    totp = Authenticator.objects.filter(user=OuterRef("user_id"), type=Authenticator.Type.TOTP)
    return (
        Membership.objects.filter(role__in=roles)
        .select_related("user")
        .annotate(has_mfa=Exists(totp))
        .order_by("-is_active", "user__email")
    )


def membership_team_summary() -> dict:
    """Vendor team counts for the dashboard: active per role, deactivated, invited but never signed in."""
    return Membership.objects.filter(role__in=VENDOR_ROLES).aggregate(
        inactive=Count("pk", filter=Q(is_active=False)),
        pending=Count("pk", filter=Q(is_active=True, last_login_at__isnull=True)),
        admins=Count("pk", filter=Q(is_active=True, role=Role.TENANT_ADMIN)),
        managers=Count("pk", filter=Q(is_active=True, role=Role.CHANNEL_MANAGER)),
        staff=Count("pk", filter=Q(is_active=True, role=Role.VENDOR_STAFF)),
    )
