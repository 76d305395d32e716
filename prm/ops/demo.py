"""Demo data registry: `manage.py seed_demo` runs every registered step per demo tenant.

Business apps add their demo data in `AppConfig.ready()`:

    register_demo_step("partners", seed_partners, order=20)   # seed_partners(tenant, out)

Steps run inside the tenant's context and must be idempotent.
"""

from collections.abc import Callable
from dataclasses import dataclass


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
