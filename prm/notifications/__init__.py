"""In-portal notifications: a per-user inbox any app writes to with `notify()`."""
