"""Domain errors raised by services. The API maps them to statuses once (prm.api.exceptions)."""

from django.utils.translation import gettext


class DomainError(Exception):
    """A business rule refused the action. Maps to 400 unless a subclass says otherwise."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    code = "validation_error"

    @classmethod
    def on_fields(cls, fields: dict[str, list[str]]) -> "InvalidInput":
        """The usual refusal of a form's input: the messages are on the fields."""
        return cls(gettext("Please correct the highlighted fields."), fields=fields)


class StateConflict(DomainError):
    """The object is not in a state that allows the action (HTTP 409)."""

    code = "state_conflict"
    status = 409

    def __init__(self, message: str, *, current_state: str | None = None):
        super().__init__(message)
        self.current_state = current_state


class Duplicate(DomainError):
    """The action would create something that already exists (HTTP 409)."""

    code = "duplicate"
    status = 409


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    code = "permission_denied"
    status = 403


class AuthenticationRefused(DomainError):
    """Credentials were missing or wrong (HTTP 401)."""

    code = "authentication_failed"
    status = 401

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code
