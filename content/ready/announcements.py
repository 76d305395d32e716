"""The content app's announcements: the News page in the navigation and the news panel on the partner home page
(run from ContentConfig.ready())."""


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from prm.portal.dashboard import Panel, register_panel
    from prm.portal.navigation import NavItem, register_nav_item

    from ..views.announcements import news_panel

    register_nav_item(NavItem("announcements", _("News"), "content:announcement-list", "content.view_all", order=70))
    register_nav_item(NavItem("announcements.partner", _("News"), "content:announcement-list", "content.use", order=70))
    register_panel(Panel("news", "content/announcements/panel.html", "content.use", news_panel, order=3))
