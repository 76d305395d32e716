"""django-filter sets of the partners app (shared by portal lists and the API), one module per area."""
