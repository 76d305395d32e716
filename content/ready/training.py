"""The content app's training: navigation, panels and registry entries (run from ContentConfig.ready())."""


def register() -> None:
    pass
