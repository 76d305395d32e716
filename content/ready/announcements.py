"""The content app's announcements: navigation, panels and registry entries (run from ContentConfig.ready())."""


def register() -> None:
    pass
