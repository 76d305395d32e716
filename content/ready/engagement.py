"""The content app's engagement: its capabilities, navigation, panels and registry entries (from ContentConfig.ready())."""


def register() -> None:
    pass
