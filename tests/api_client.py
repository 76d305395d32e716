"""A bearer-token API client on a tenant's host, as a third-party integration would call the API."""

from tests.conftest import portal_client
from tests.factories import issue_token


class Api:
    def __init__(self, tenant, membership):
        self.membership = membership
        self.client = portal_client(tenant)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.auth)

    def post(self, path, data=None, **headers):
        return self.client.post(path, data, content_type="application/json", **self.auth, **headers)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", **self.auth)
