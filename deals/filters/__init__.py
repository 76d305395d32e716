"""django-filter sets of the deals app (shared by portal lists and the API), one module per area."""
