"""The tenant context: which vendor the current request, task or script acts for.

It is entered in exactly one place per entry point (TenantMiddleware, the
`tenant_task` decorator, `tenant_context()` in scripts) and always left in a
`finally`. Entering it also sets the database session (prm.tenancy.db), so the
Python scope and PostgreSQL's row-level security never disagree.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Tenant


class TenantContextMissing(RuntimeError):
    """Tenant-owned data was touched with no tenant in context."""


class TenantContextConflict(RuntimeError):
    """A second, different tenant context was entered inside another one."""


@dataclass(frozen=True)
class TenantState:
    tenant: Tenant | None = None
    platform: bool = False

    @property
    def is_set(self) -> bool:
        return self.tenant is not None or self.platform

    @property
    def key(self) -> tuple:
        if self.platform:
            return ("platform",)
        return ("tenant", self.tenant.pk if self.tenant is not None else None)


NO_TENANT = TenantState()
_state: ContextVar[TenantState] = ContextVar("prm_tenant_state", default=NO_TENANT)


def current_state() -> TenantState:
    return _state.get()


def current_tenant() -> Tenant:
    tenant = _state.get().tenant
    if tenant is None:
        raise TenantContextMissing("No tenant in context.")
    return tenant


def current_tenant_or_none() -> Tenant | None:
    return _state.get().tenant


class _Scope:
    """Context manager shared by `tenant_context` and `all_tenants`.

    Contexts do not nest: re-entering the same one is a no-op, entering a
    different one raises. So the state a scope restores is always "none", and a
    rolled-back transaction can only ever fall back to seeing nothing.
    """

    def __init__(self, state: TenantState):
        self.state = state
        self._token = None

    def __enter__(self) -> TenantState:
        from . import db

        previous = _state.get()
        if previous.is_set:
            if previous.key == self.state.key:
                return previous
            raise TenantContextConflict(
                f"Cannot enter {self.state.key} inside {previous.key}; leave the first context."
            )
        self._token = _state.set(self.state)
        try:
            db.apply_state(self.state)
        except BaseException:
            _state.reset(self._token)
            self._token = None
            db.apply_state(NO_TENANT)
            raise
        return self.state

    def __exit__(self, *exc_info) -> None:
        from . import db

        if self._token is None:
            return
        _state.reset(self._token)
        self._token = None
        db.apply_state(NO_TENANT)


def tenant_context(tenant: Tenant) -> _Scope:
    """Act for one tenant: managers filter by it and PostgreSQL shows only its rows."""
    if tenant is None or tenant.pk is None:
        raise TenantContextMissing("tenant_context() needs a saved tenant.")
    return _Scope(TenantState(tenant=tenant))


def all_tenants() -> _Scope:
    """The platform context: the loud escape hatch for operator tooling.

    Managers run unfiltered and the database session switches to the platform
    role, whose policy sees every tenant's rows.
    """
    return _Scope(TenantState(platform=True))
