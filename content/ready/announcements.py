"""The content app's announcements: its capabilities, navigation, panels and registry entries (from ContentConfig.ready())."""


def register() -> None:
    pass
