"""The content app's training: its capabilities, navigation, panels and registry entries (from ContentConfig.ready())."""


def register() -> None:
    pass
