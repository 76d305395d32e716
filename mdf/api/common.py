"""What the MDF API views share: who may do what, references to related rows, money and balances."""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_membership
from prm.api.permissions import HasCapability

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
MONEY_INPUT = {"max_digits": 14, "decimal_places": 2}
TEXT_MAX = 2000
VIEW_ALL, MANAGE, USE = "mdf.view_all", "mdf.manage", "mdf.use"
_MONEY_FIELD = serializers.DecimalField(**MONEY)


def money(value) -> str | None:
    """A decimal as the API writes money (a string with two places); None stays None."""
    return None if value is None else _MONEY_FIELD.to_representation(value)


class SeesMdf(BasePermission):
    """Vendor staff (every row) and partner users (their company's rows)."""

    def has_permission(self, request, view):
        return request_membership(request) is not None and (request_can(request, VIEW_ALL) or request_can(request, USE))


def permissions_for(action: str | None, *, manager_actions=(), partner_actions=()) -> list[BasePermission]:
    if action in manager_actions:
        return [HasCapability(MANAGE)()]
    if action in partner_actions:
        return [HasCapability(USE)()]
    return [SeesMdf()]


def acting_partner(request):
    """The partner company a partner user acts for; 403 for anyone else (the partner is never read from input)."""
    partner = request_partner(request) if request_can(request, USE) else None
    if partner is None:
        raise PermissionDenied()
    return partner


def own_partner_only(request):
    """None for vendor staff (they see every partner's figures), else the reader's partner company."""
    return None if request_can(request, VIEW_ALL) else request_partner(request)


class MdfRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MdfActivityTypeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()


class MdfBalanceSerializer(serializers.Serializer):
    """`mdf.rules.Balance` as decimal strings."""

    allocated = serializers.DecimalField(**MONEY)
    expired = serializers.DecimalField(**MONEY, help_text="Expired unused; it went back to the fund.")
    requested = serializers.DecimalField(**MONEY, help_text="Pre-approved and not claimed yet.")
    claimed = serializers.DecimalField(**MONEY, help_text="Claimed and under review.")
    approved = serializers.DecimalField(**MONEY, help_text="Claims approved, not paid yet.")
    paid = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY, help_text="requested + claimed + approved + paid.")
    available = serializers.DecimalField(**MONEY, help_text="allocated − expired − committed.")


class MdfReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Shown to the partner.")


class MdfApproveSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        **MONEY_INPUT, required=False, help_text="Approve less than asked (a partial approval); default: all of it."
    )
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", help_text="Required for a partial approval."
    )
