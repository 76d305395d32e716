"""The content app's library: navigation, panels and registry entries (run from ContentConfig.ready())."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.permissions import request_partner
from prm.portal.dashboard import Panel, register_panel
from prm.portal.navigation import NavItem, register_nav_item

from ..selectors import recommended_assets


def recommended_context(request) -> dict:
    partner = request_partner(request)
    if partner is None:
        return {"assets": []}
    assets = recommended_assets(partner=partner, user=request.user, language=get_language() or "")
    return {"assets": list(assets)}


def register() -> None:
    register_nav_item(NavItem("content", _("Content"), "content:library", "content.view_all", order=55))
    register_nav_item(NavItem("content.partner", _("Content"), "content:library", "content.use", order=55))
    panel = Panel(
        "content_recommended", "content/library/panel_recommended.html", "content.use", recommended_context, order=35
    )
    register_panel(panel)
