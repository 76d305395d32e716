"""API plumbing for every app: bearer tokens bound to one user and one tenant, the error
envelope, pagination, permissions and the OpenAPI schema; plus /auth/token and /me.
"""
