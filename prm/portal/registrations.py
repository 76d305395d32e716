"""The foundation's own navigation items and dashboard panels."""

from django.utils.translation import gettext_lazy as _

from prm.accounts.selectors import membership_team_summary, user_has_mfa
from prm.api.selectors import api_token_list
from prm.audit.selectors import audit_event_recent

from .dashboard import Panel, register_panel
from .navigation import NavItem, register_nav_item

register_nav_item(NavItem("dashboard", _("Dashboard"), "portal:dashboard", "portal.use", order=0))
register_nav_item(NavItem("admin", _("Admin"), "admin:index", "admin.view", order=900))
register_nav_item(NavItem("team", _("Team"), "portal:team", "team.manage", order=10, section="settings"))
register_nav_item(
    NavItem("settings", _("Portal settings"), "portal:settings", "settings.manage", order=20, section="settings")
)
register_nav_item(NavItem("tokens", _("API tokens"), "portal:tokens", "portal.use", order=30, section="settings"))
register_nav_item(NavItem("security", _("Sign-in & security"), "mfa_index", "portal.use", order=40, section="settings"))


def _account(request) -> dict:
    return {
        "mfa_enabled": user_has_mfa(user=request.user),
        "active_tokens": api_token_list(user=request.user).filter(revoked_at__isnull=True).count(),
    }


register_panel(Panel("account", "portal/panels/account.html", "portal.use", _account, order=0))
register_panel(Panel("team", "portal/panels/team.html", "team.manage", lambda r: membership_team_summary(), order=10))
register_panel(
    Panel(
        "activity",
        "portal/panels/activity.html",
        "audit.view",
        lambda r: {"events": audit_event_recent()},
        order=20,
        wide=True,
    )
)
register_panel(Panel("shortcuts", "portal/panels/shortcuts.html", "admin.view", lambda r: {}, order=30))
