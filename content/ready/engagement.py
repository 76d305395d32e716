"""The content app's engagement: navigation, panels and registry entries (run from ContentConfig.ready())."""


def register() -> None:
    pass
