"""The content app's library: its capabilities, navigation, panels and registry entries (from ContentConfig.ready())."""


def register() -> None:
    pass
