from rest_framework.permissions import BasePermission

from prm.accounts.permissions import request_can, request_membership


class IsTenantMember(BasePermission):
    """Signed in (session or token) with an active membership at this tenant."""

    def has_permission(self, request, view):
        return request_membership(request) is not None


def HasCapability(capability: str) -> type[BasePermission]:
    """`permission_classes = [HasCapability("team.manage")]`: member whose role grants it."""

    class _HasCapability(BasePermission):
        def has_permission(self, request, view):
            return request_membership(request) is not None and request_can(request, capability)

    _HasCapability.__name__ = f"HasCapability[{capability}]"
    return _HasCapability
