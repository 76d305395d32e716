"""Every non-trivial read of the deals app; other apps import from here."""

from .conflicts import Candidate, conflict_candidates

__all__ = ["Candidate", "conflict_candidates"]

# --- protection lifecycle (PROTECT) ---
from .protection import deal_events_of, extension_pending_of, rules_for

__all__ += ["deal_events_of", "extension_pending_of", "rules_for"]
