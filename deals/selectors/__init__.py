"""Every non-trivial read of the deals app; other apps import from here."""

from .conflicts import Candidate, conflict_candidates

__all__ = ["Candidate", "conflict_candidates"]

# leads
from .leads import (
    lead_list,
    lead_match_candidates,
    lead_time_to_accept_hours,
    lead_time_to_first_action_hours,
    leads_of_partner,
)

__all__ += [
    "lead_list",
    "lead_match_candidates",
    "lead_time_to_accept_hours",
    "lead_time_to_first_action_hours",
    "leads_of_partner",
]
