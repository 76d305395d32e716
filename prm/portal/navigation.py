"""Navigation registry: each app adds its portal pages in `AppConfig.ready()`.

    register_nav_item(NavItem("deals", _("Deals"), "deals:list", capability="deals.view", order=20))

Items show only to roles whose capabilities include the item's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from prm.accounts.permissions import request_can


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    capability: str
    order: int = 100
    section: str = "main"  # "main" (top bar) or "settings" (user menu)
    badge: Callable | None = None  # badge(request) -> int: a count shown next to the label when not 0


_ITEMS: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _ITEMS[item.key] = item


def nav_for(request, section: str = "main") -> list[dict]:
    if not getattr(request, "membership", None):
        return []
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key)):
        if item.section != section or not request_can(request, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        badge = item.badge(request) if item.badge is not None else 0
        entries.append({"key": item.key, "label": item.label, "url": url, "active": active, "badge": badge})
    return entries
