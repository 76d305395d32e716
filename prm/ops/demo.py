"""Demo data registry: `manage.py seed_demo` runs every registered step per demo tenant.

Business apps add their demo data in `AppConfig.ready()`:

    register_demo_step("partners", seed_partners, order=20)   # seed_partners(tenant, out)

Steps run inside the tenant's context and must be idempotent.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from prm.accounts.models import User


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[..., None]
    order: int


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(name: str, run: Callable[..., None], *, order: int = 100) -> None:
    _STEPS[name] = DemoStep(name, run, order)


def demo_steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


@functools.cache
def _demo_password_hash(password: str) -> str:
    # One slow hash per seed run, not one per demo user (a hundred users would take half a minute).
    return make_password(password)


def demo_user_ensure(email: str, full_name: str, password: str, **flags):
    """A verified, active demo identity with `password` (created or reset)."""
    user = User.objects.filter(email=email).first() or User(email=email, full_name=full_name)
    for name, value in flags.items():
        setattr(user, name, value)
    user.is_active = True
    user.password = _demo_password_hash(password)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user
