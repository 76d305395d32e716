"""Every write of the deals app; other apps import from here."""

from .registration import REGISTRATION_FIELDS, deal_register, lines_replace

__all__ = ["REGISTRATION_FIELDS", "deal_register", "lines_replace"]
