"""django-filter sets of the deals app (portal lists and API), one module per area."""
