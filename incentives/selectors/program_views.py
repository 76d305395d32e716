"""Reads behind the program pages and API: who sees which program, the rules in effect, how a program
pays in words, latest runs.

Partner visibility (docs/incentives/programs.md): a partner user sees the active and ended programs whose
program/tier/type/region filters match the company (the filters of `selectors.programs.eligible_partners`,
without the opt-in condition): those it takes part in, and the opt-in ones it could join. Drafts are
vendor-only. Lists read in a fixed number of queries whatever their length.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from deals.models import Product
from partners.models import Partner
from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from ..event_kinds import event_kind
from ..models import Enrollment, IncentiveProgram, RuleVersion, Run
from ..periods import period_containing
from .programs import EARNING_STATUSES, program_list

PARTNER_VISIBLE_STATUSES = (IncentiveProgram.Status.ACTIVE, IncentiveProgram.Status.ENDED)


def programs_for_partner(partner: Partner | None) -> QuerySet[IncentiveProgram]:
    """Programs `partner` takes part in or could opt in to (see the module docstring)."""
    if partner is None or partner.status not in EARNING_STATUSES:
        return IncentiveProgram.objects.none()
    matches = Q(status__in=PARTNER_VISIBLE_STATUSES)
    matches &= Q(eligible_program_ids=[]) | Q(eligible_program_ids__contains=[partner.program_id])
    matches &= (
        Q(eligible_tier_ids=[]) | Q(eligible_tier_ids__contains=[partner.tier_id])
        if partner.tier_id
        else Q(eligible_tier_ids=[])
    )
    matches &= Q(eligible_types=[]) | Q(eligible_types__overlap=list(partner.types or []))
    matches &= Q(eligible_regions=[]) | Q(eligible_regions__overlap=list(partner.regions or []))
    return program_list().filter(matches)


def request_sees_programs(request) -> bool:
    return request_can(request, "incentives.view_all") or (
        request_can(request, "incentives.earn") and request_partner(request) is not None
    )


def programs_visible_to(request) -> QuerySet[IncentiveProgram]:
    """Every program for vendor staff; a partner user's programs (above); nothing for anyone else."""
    if request_can(request, "incentives.view_all"):
        return program_list()
    if request_can(request, "incentives.earn"):
        return programs_for_partner(request_partner(request))
    return IncentiveProgram.objects.none()


def enrolled_program_ids(partner: Partner | None) -> set[int]:
    if partner is None:
        return set()
    return set(Enrollment.objects.filter(partner=partner).values_list("program_id", flat=True))


def current_rule_version(program: IncentiveProgram, versions: list[RuleVersion], *, today: date):
    """Of a program's versions, the one pricing the period containing `today` (before the program starts:
    its first version). `versions` is any order."""
    if not versions:
        return None
    starts = period_containing(max(today, program.starts_on), program.period_scheme).starts_on
    effective = [v for v in versions if v.effective_from <= starts]
    if effective:
        return max(effective, key=lambda v: v.effective_from)
    return min(versions, key=lambda v: v.effective_from)


def latest_runs_by_program(program_ids, *, per_program: int = 3) -> dict[int, list[Run]]:
    """The newest `per_program` runs of each program, newest first (one query)."""
    ids = list(program_ids)
    if not ids:
        return {}
    ranked = (
        Run.objects.filter(program_id__in=ids)
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("program_id")], order_by=[F("created_at").desc(), F("id").desc()]
            )
        )
        .filter(position__lte=per_program)
        .order_by("program_id", "position")
    )
    runs: dict[int, list[Run]] = {}
    for run in ranked:
        runs.setdefault(run.program_id, []).append(run)
    return runs


# --- how a program pays, in words ---------------------------------------------------------------------


@dataclass
class HowItPays:
    """The rules of one version as sentences and, where the kind has one, a table (bands, products,
    activities)."""

    sentences: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _number(value) -> str:
    value = Decimal(str(value))
    return f"{value:,.2f}"


def _percent(value) -> str:
    value = Decimal(str(value)).normalize()
    return f"{value:f} %"


def _award(program: IncentiveProgram, value) -> str:
    if program.unit == "points":
        return _("%(points)s points") % {"points": f"{Decimal(str(value)).normalize():f}"}
    return f"{_number(value)} {program.currency}"


def _recipient(program: IncentiveProgram) -> str:
    return _("the partner company") if program.award_to == "partner" else _("the rep")


def _rebate(program, params, how, multiplier):
    bands = params.get("bands", [])
    how.headers = [_("Period revenue"), _("Rate")]
    for i, band in enumerate(bands):
        floor = _number(band["from"])
        if i + 1 < len(bands):
            span = _("from %(low)s to under %(high)s %(currency)s") % {
                "low": floor,
                "high": _number(bands[i + 1]["from"]),
                "currency": program.currency,
            }
        else:
            span = _("%(low)s %(currency)s and more") % {"low": floor, "currency": program.currency}
        how.rows.append([span, _percent(band["rate"])])
    if params.get("mode") == "incremental":
        how.sentences.append(_("Incremental: each band's rate applies only to the revenue inside that band."))
    else:
        how.sentences.append(
            _("Retroactive: once the period's revenue reaches a band, all of it earns that band's rate.")
        )
    if Decimal(str(params.get("minimum") or 0)) > 0:
        how.sentences.append(
            _("Nothing is paid below %(minimum)s %(currency)s of revenue in a period.")
            % {"minimum": _number(params["minimum"]), "currency": program.currency}
        )
    if params.get("use_tier_multiplier", True):
        sentence = _("The rebate is multiplied by the rebate multiplier of the partner's tier.")
        if multiplier is not None:
            sentence += " " + _("Yours: × %(multiplier)s.") % {"multiplier": multiplier}
        how.sentences.append(sentence)
    if params.get("cap"):
        how.sentences.append(
            _("At most %(cap)s per partner and period.") % {"cap": f"{_number(params['cap'])} {program.currency}"}
        )
    if params.get("product_families"):
        how.sentences.append(
            _("Counts sales of these product families: %(families)s.")
            % {"families": ", ".join(params["product_families"])}
        )
    if params.get("sale_kinds"):
        how.sentences.append(_("Counts these kinds of sale: %(kinds)s.") % {"kinds": ", ".join(params["sale_kinds"])})
    how.sentences.append(_("Paid to %(recipient)s once per period.") % {"recipient": _recipient(program)})


def _spif(program, params, how, products):
    basis = params.get("basis")
    if basis == "percent":
        how.sentences.append(
            _("%(rate)s of the amount of every sale of the products below.") % {"rate": _percent(params["rate"])}
        )
    elif basis == "per_deal":
        how.sentences.append(
            _("%(amount)s for every deal that includes one of the products below.")
            % {"amount": _award(program, params["amount"])}
        )
    else:
        how.sentences.append(
            _("%(amount)s per unit sold of the products below.") % {"amount": _award(program, params["amount"])}
        )
    how.sentences.append(_("Paid to the rep of the sale (else the rep who registered the deal)."))
    if params.get("cap_per_rep"):
        how.sentences.append(
            _("At most %(cap)s per rep over the whole program.") % {"cap": _award(program, params["cap_per_rep"])}
        )
    how.headers = [_("SKU"), _("Product")]
    for pk in params.get("products", []):
        product = products.get(pk)
        how.rows.append([product.sku, product.name] if product else ["—", _("Product #%(id)s") % {"id": pk}])


def _points(program, params, how):
    how.headers = [_("Activity"), _("Points"), _("Cap per period")]
    caps = params.get("caps", {})
    for key, points in params.get("points", {}).items():
        kind = event_kind(key)
        label = str(kind.label) if kind else key
        cap = caps.get(key)
        how.rows.append([label, str(points), str(cap) if cap else _("none")])
    how.sentences.append(
        _("Points go to %(recipient)s for each activity below, up to the activity's cap per period.")
        % {"recipient": _recipient(program)}
    )


def _revenue_share(program, params, how):
    months = params.get("months")
    span = (
        _("for the first %(months)s months of each subscription") % {"months": months}
        if months
        else _("for the life of each subscription")
    )
    how.sentences.append(
        _("%(rate)s of the recurring revenue of the customers the partner brought, %(span)s.")
        % {"rate": _percent(params["rate"]), "span": span}
    )
    if params.get("renewal_rate") is not None:
        how.sentences.append(_("Renewals earn %(rate)s.") % {"rate": _percent(params["renewal_rate"])})
    how.sentences.append(_("Paid to %(recipient)s every period.") % {"recipient": _recipient(program)})


def _registration_bonus(program, params, how):
    if params.get("basis") == "percent":
        earns = _("%(rate)s of the won amount") % {"rate": _percent(params["rate"])}
    else:
        earns = _award(program, params["amount"])
    how.sentences.append(
        _("%(earns)s for every approved deal registration won inside its protection window, paid to %(recipient)s.")
        % {"earns": earns, "recipient": _recipient(program)}
    )


def how_it_pays(program: IncentiveProgram, params: dict, *, products=None, multiplier=None) -> HowItPays:
    """`params` (a validated rule version's) in words. `products`: {id: Product} of SPIF products;
    `multiplier`: the viewing partner's tier rebate multiplier, shown beside the rebate rule."""
    how = HowItPays()
    if program.kind == "rebate":
        _rebate(program, params, how, multiplier)
    elif program.kind == "spif":
        _spif(program, params, how, products or {})
    elif program.kind == "points":
        _points(program, params, how)
    elif program.kind == "revenue_share":
        _revenue_share(program, params, how)
    elif program.kind == "registration_bonus":
        _registration_bonus(program, params, how)
    return how


@dataclass
class ProgramView:
    program: IncentiveProgram
    rule_version: RuleVersion | None
    how: HowItPays
    enrolled: bool
    runs: list[Run]


def program_views(
    programs, *, today: date, partner: Partner | None = None, with_runs: bool = False
) -> list[ProgramView]:
    """Each program with its rules in effect, explained, the partner's enrollment and (vendor pages) its
    latest runs. Queries: versions, products, enrollments (partner) and runs (with_runs), whatever the
    number of programs."""
    programs = list(programs)
    ids = [program.pk for program in programs]
    versions: dict[int, list[RuleVersion]] = {}
    for version in RuleVersion.objects.filter(program_id__in=ids).order_by("program_id", "version"):
        versions.setdefault(version.program_id, []).append(version)
    current = {p.pk: current_rule_version(p, versions.get(p.pk, []), today=today) for p in programs}
    product_ids = {
        pk
        for program in programs
        if program.kind == "spif" and current[program.pk] is not None
        for pk in current[program.pk].params.get("products", [])
    }
    products = Product.objects.in_bulk(product_ids) if product_ids else {}
    enrolled = enrolled_program_ids(partner)
    runs = latest_runs_by_program(ids) if with_runs else {}
    multiplier = None
    if partner is not None:
        multiplier = partner.tier.rebate_multiplier if partner.tier_id else Decimal(1)
    views = []
    for program in programs:
        version = current[program.pk]
        how = (
            how_it_pays(program, version.params, products=products, multiplier=multiplier)
            if version is not None
            else HowItPays()
        )
        views.append(ProgramView(program, version, how, program.pk in enrolled, runs.get(program.pk, [])))
    return views
