"""Pure incentive maths: rebate bands, capped running totals, subscription months, rule parameters.

No ORM here. The set-based SQL in `incentives.computation` implements the same rules for all
recipients at once; tests check both agree. Rounding: ROUND_HALF_UP to the cent, once, at the end of
each line (docs/incentives.md).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .periods import month_index

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class RuleError(ValueError):
    """Rule parameters that cannot price anything; `fields` maps a parameter to its messages."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in fields.items()))
        self.fields = fields


# --- rebate bands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    floor: Decimal  # the band starts at this revenue (inclusive)
    rate: Decimal  # percent


@dataclass(frozen=True)
class RebateResult:
    revenue: Decimal
    band: int | None  # index of the band the revenue reached (None below the minimum)
    rate: Decimal  # the reached band's rate, in percent
    base: Decimal  # before the multiplier and the cap, unrounded
    multiplier: Decimal
    capped: bool
    amount: Decimal  # rounded, final


def reached_band(revenue: Decimal, bands: list[Band]) -> int:
    """Index of the highest band whose floor the revenue reaches (bands sorted, the first from 0)."""
    index = 0
    for i, band in enumerate(bands):
        if revenue >= band.floor:
            index = i
    return index


def rebate_base(revenue: Decimal, bands: list[Band], mode: str) -> Decimal:
    """Retroactive: all revenue at the reached band's rate. Incremental: each band's rate on its slice."""
    if revenue <= 0:
        return Decimal(0)
    if mode == "retroactive":
        return revenue * bands[reached_band(revenue, bands)].rate / HUNDRED
    total = Decimal(0)
    for i, band in enumerate(bands):
        ceiling = bands[i + 1].floor if i + 1 < len(bands) else None
        top = revenue if ceiling is None else min(revenue, ceiling)
        if top > band.floor:
            total += (top - band.floor) * band.rate / HUNDRED
    return total


def rebate_compute(
    revenue: Decimal,
    bands: list[Band],
    *,
    mode: str,
    minimum: Decimal = Decimal(0),
    cap: Decimal | None = None,
    multiplier: Decimal = Decimal(1),
) -> RebateResult:
    """A partner's rebate for a period: band maths, then the tier multiplier, then the cap, then rounding."""
    if revenue < minimum or revenue <= 0:
        return RebateResult(revenue, None, Decimal(0), Decimal(0), multiplier, False, Decimal("0.00"))
    band = reached_band(revenue, bands)
    base = rebate_base(revenue, bands, mode)
    amount = base * multiplier
    capped = cap is not None and amount > cap
    if capped:
        amount = cap
    return RebateResult(revenue, band, bands[band].rate, base, multiplier, capped, money(amount))


@dataclass(frozen=True)
class NextBand:
    floor: Decimal
    rate: Decimal
    revenue_needed: Decimal


def rebate_next_band(revenue: Decimal, bands: list[Band], *, minimum: Decimal = Decimal(0)) -> NextBand | None:
    """The next threshold above `revenue` (the minimum counts as one) and how much revenue it still needs."""
    floors = sorted({band.floor for band in bands} | ({minimum} if minimum > 0 else set()))
    for floor in floors:
        if floor > revenue:
            rate = bands[reached_band(floor, bands)].rate
            return NextBand(floor, rate, floor - revenue)
    return None


def rebate_marginal_value(
    revenue: Decimal,
    bands: list[Band],
    *,
    mode: str,
    minimum: Decimal,
    cap: Decimal | None,
    multiplier: Decimal,
    step: Decimal = Decimal(1000),
) -> Decimal:
    """What the next `step` of revenue adds to the rebate (can include a jump to the next band)."""
    now = rebate_compute(revenue, bands, mode=mode, minimum=minimum, cap=cap, multiplier=multiplier).amount
    later = rebate_compute(revenue + step, bands, mode=mode, minimum=minimum, cap=cap, multiplier=multiplier).amount
    return later - now


# --- caps over running totals -----------------------------------------------------------------------


def capped_running(amounts: Iterable[Decimal], cap: Decimal | None) -> list[Decimal]:
    """Pay each amount in order until the running total reaches `cap`; the line that crosses it is cut."""
    paid, total = [], Decimal(0)
    for amount in amounts:
        if cap is None:
            paid.append(amount)
            continue
        line = max(Decimal(0), min(amount, cap - total))
        paid.append(line)
        total += amount
    return paid


# --- subscriptions ---------------------------------------------------------------------------------


def subscription_months_in(
    starts_on, term_months: int | None, share_months: int | None, period_start, period_end
) -> int:
    """Months of a subscription that fall in the period and inside the share window.

    A subscription bills monthly from the month it is booked for `term_months` (None: until cancelled,
    counted as ongoing); the share covers its first `share_months` (None: for life).
    """
    first = month_index(starts_on)
    limits = [m for m in (term_months, share_months) if m is not None]
    last = first + min(limits) - 1 if limits else None
    lo = max(first, month_index(period_start))
    hi = month_index(period_end) if last is None else min(last, month_index(period_end))
    return max(0, hi - lo + 1)


MONTHS_PER_BILLING_PERIOD = {"month": 1, "quarter": 3, "year": 12}


# --- parameters --------------------------------------------------------------------------------------

REBATE_MODES = ("retroactive", "incremental")
SPIF_BASES = ("per_unit", "per_deal", "percent")
BONUS_BASES = ("flat", "percent")
SALE_KINDS = ("new", "renewal", "expansion", "one_time")


def _decimal(errors, params, key, *, required=True, minimum=Decimal(0), maximum=None, default=None):
    raw = params.get(key, default)
    if raw in (None, ""):
        if required:
            errors.setdefault(key, []).append("This rule is required.")
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        errors.setdefault(key, []).append(f"“{raw}” is not a number.")
        return None
    if not value.is_finite() or value < minimum or (maximum is not None and value > maximum):
        bound = f" and at most {maximum}" if maximum is not None else ""
        errors.setdefault(key, []).append(f"Must be at least {minimum}{bound}.")
        return None
    return value


def _choice(errors, params, key, choices, default=None):
    value = params.get(key, default)
    if value not in choices:
        errors.setdefault(key, []).append(f"Choose one of: {', '.join(choices)}.")
    return value


def _str_list(errors, params, key, allowed=None):
    value = params.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.setdefault(key, []).append("Must be a list of texts.")
        return []
    if allowed is not None:
        unknown = [v for v in value if v not in allowed]
        if unknown:
            errors.setdefault(key, []).append(f"Unknown: {', '.join(unknown)}; choose from {', '.join(allowed)}.")
    return sorted(set(value))


def _int_list(errors, params, key, *, required=False):
    value = params.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        errors.setdefault(key, []).append("Must be a list of ids.")
        return []
    if required and not value:
        errors.setdefault(key, []).append("Name at least one.")
    return sorted(set(value))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def bands_from(params: Mapping) -> list[Band]:
    """The bands of validated rebate parameters, as values."""
    return [Band(Decimal(b["from"]), Decimal(b["rate"])) for b in params["bands"]]


def _validate_rebate(params, errors):
    raw_bands = params.get("bands")
    bands = []
    if not isinstance(raw_bands, list) or not raw_bands:
        errors.setdefault("bands", []).append("Give at least one band: a revenue floor and a rate.")
    else:
        for i, raw in enumerate(raw_bands):
            if not isinstance(raw, Mapping):
                errors.setdefault("bands", []).append(f"Band {i + 1}: give “from” and “rate”.")
                continue
            sub = {}
            floor = _decimal(sub, raw, "from")
            rate = _decimal(sub, raw, "rate", maximum=HUNDRED)
            for key, msgs in sub.items():
                errors.setdefault("bands", []).extend(f"Band {i + 1} {key}: {m}" for m in msgs)
            if floor is not None and rate is not None:
                bands.append((floor, rate))
        floors = [floor for floor, _rate in bands]
        if bands and floors != sorted(set(floors)):
            errors.setdefault("bands", []).append("Band floors must increase, without repeats.")
        if bands and floors[0] != 0:
            bands.insert(0, (Decimal(0), Decimal(0)))
    mode = _choice(errors, params, "mode", REBATE_MODES, default="retroactive")
    minimum = _decimal(errors, params, "minimum", required=False, default="0")
    cap = _decimal(errors, params, "cap", required=False)
    return {
        "bands": [{"from": str(f), "rate": str(r)} for f, r in bands],
        "mode": mode,
        "minimum": _text(minimum) or "0",
        "cap": _text(cap),
        "use_tier_multiplier": bool(params.get("use_tier_multiplier", True)),
        "product_families": _str_list(errors, params, "product_families"),
        "sale_kinds": _str_list(errors, params, "sale_kinds", SALE_KINDS),
    }


def _validate_spif(params, errors):
    basis = _choice(errors, params, "basis", SPIF_BASES, default="per_unit")
    amount = rate = None
    if basis == "percent":
        rate = _decimal(errors, params, "rate", maximum=HUNDRED)
    else:
        amount = _decimal(errors, params, "amount")
    return {
        "basis": basis,
        "amount": _text(amount),
        "rate": _text(rate),
        "products": _int_list(errors, params, "products", required=True),
        "cap_per_rep": _text(_decimal(errors, params, "cap_per_rep", required=False)),
    }


def _validate_points(params, errors, event_kinds):
    points, caps = params.get("points"), params.get("caps") or {}
    clean_points, clean_caps = {}, {}
    if not isinstance(points, Mapping) or not points:
        errors.setdefault("points", []).append("Give points for at least one activity.")
        points = {}
    if not isinstance(caps, Mapping):
        errors.setdefault("caps", []).append("Give caps as activity: points per period.")
        caps = {}
    for kind, value in points.items():
        if event_kinds is not None and kind not in event_kinds:
            errors.setdefault("points", []).append(f"Unknown activity “{kind}”.")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.setdefault("points", []).append(f"{kind}: points must be a whole number of at least 1.")
        else:
            clean_points[kind] = value
    for kind, value in caps.items():
        if kind not in points:
            errors.setdefault("caps", []).append(f"{kind}: no points are given for this activity.")
        elif value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            errors.setdefault("caps", []).append(f"{kind}: the cap must be a whole number of points of at least 1.")
        elif value is not None:
            clean_caps[kind] = value
    return {"points": dict(sorted(clean_points.items())), "caps": dict(sorted(clean_caps.items()))}


def _validate_revenue_share(params, errors):
    months = params.get("months")
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or months < 1):
        errors.setdefault("months", []).append("Give a whole number of months (at least 1), or nothing for life.")
        months = None
    return {
        "rate": _text(_decimal(errors, params, "rate", maximum=HUNDRED)),
        "renewal_rate": _text(_decimal(errors, params, "renewal_rate", required=False, maximum=HUNDRED)),
        "months": months,
    }


def _validate_registration_bonus(params, errors):
    basis = _choice(errors, params, "basis", BONUS_BASES, default="flat")
    amount = rate = None
    if basis == "percent":
        rate = _decimal(errors, params, "rate", maximum=HUNDRED)
    else:
        amount = _decimal(errors, params, "amount")
    return {"basis": basis, "amount": _text(amount), "rate": _text(rate)}


def validate_params(kind: str, params, *, event_kinds: Iterable[str] | None = None) -> dict:
    """The normalised parameters of a rule version of `kind`, or RuleError naming each bad one."""
    if not isinstance(params, Mapping):
        raise RuleError({"params": ["Give the rules as an object."]})
    errors: dict[str, list[str]] = {}
    if kind == "rebate":
        clean = _validate_rebate(params, errors)
    elif kind == "spif":
        clean = _validate_spif(params, errors)
    elif kind == "points":
        clean = _validate_points(params, errors, None if event_kinds is None else set(event_kinds))
    elif kind == "revenue_share":
        clean = _validate_revenue_share(params, errors)
    elif kind == "registration_bonus":
        clean = _validate_registration_bonus(params, errors)
    else:
        raise RuleError({"kind": [f"Unknown program kind “{kind}”."]})
    if errors:
        raise RuleError(errors)
    return clean
