"""The content app's library: navigation, panels and registry entries (run from ContentConfig.ready())."""


def register() -> None:
    pass
