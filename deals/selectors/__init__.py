"""Every non-trivial read of the deals app; other apps import from here."""

from .conflicts import Candidate, conflict_candidates

__all__ = ["Candidate", "conflict_candidates"]
