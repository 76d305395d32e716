"""Tenant-scoped admin of MDF for the vendor's channel managers: funds and allocations, activity types,
requests and claims decided through the services (in bulk or one at a time), proof files downloaded through
an authorised view."""

from . import claims, funds, requests  # noqa: F401
