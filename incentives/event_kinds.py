"""Activities that earn points. The apps that record an activity register its kind here, with a query
of its events; the points computation reads them all the same way.

    register_event_kind(EventKind("deal_won", _("Deal won"), source=deals_won_events))

`source(tenant_id, first_day, last_day, cutoff, partner_ids)` returns SQL and params selecting
`partner_id, user_id, occurred_on, reference` (one row per event; `reference` unique within the kind).
"""

from collections.abc import Callable
from dataclasses import dataclass

EventSource = Callable[..., tuple[str, list]]


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str
    source: EventSource


_KINDS: dict[str, EventKind] = {}


def register_event_kind(kind: EventKind) -> None:
    _KINDS[kind.key] = kind


def event_kinds() -> list[EventKind]:
    return list(_KINDS.values())


def event_kind_keys() -> list[str]:
    return list(_KINDS)


def event_kind(key: str) -> EventKind | None:
    return _KINDS.get(key)
