"""django-filter sets of the deals app, one module per area (shared by portal pages and the API)."""
