"""Dashboard registry: each app contributes panels for the roles that need them.

    register_panel(Panel("deal_queue", "deals/panels/queue.html", "deals.approve", deal_queue_context, order=10))

`context(request)` returns the panel's template context; it runs only for
roles whose capabilities include the panel's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from prm.accounts.permissions import request_can


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    capability: str
    context: Callable[[object], dict]
    order: int = 100
    wide: bool = False


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request) -> list[dict]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if request_can(request, panel.capability):
            shown.append({"panel": panel, "context": panel.context(request)})
    return shown
