from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """Routes that answer with and without the trailing slash: api.md writes actions as
    `/deals/{id}/approve`, DRF's default is `/deals/{id}/approve/`; a client may use either."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
