"""Every non-trivial read of the partners app; other apps import from here."""

from .people import partner_of_membership

__all__ = ["partner_of_membership"]
