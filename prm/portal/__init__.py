"""Portal shell: the branded base layout, navigation and dashboard registries that
business apps fill, the language switch, and the foundation's own pages (team,
portal settings, API tokens).
"""
