"""Reads for partner companies: the directory, one partner's page, its people, and coverage counts."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from prm.accounts.models import Membership, User
from prm.accounts.roles import VENDOR_ROLES

from ..countries import country_name
from ..models import (
    Partner,
    PartnerApplication,
    PartnerStatus,
    PartnerStatusChange,
    PartnerUser,
    Program,
    Tier,
    TierChange,
)
from ..profile import Capability, PartnerType, Region, Vertical
from .onboarding import with_onboarding_progress


def partner_directory(partners: QuerySet) -> QuerySet:
    """`partners` with what a list shows: program, tier, channel manager and onboarding progress, one query."""
    return with_onboarding_progress(partners.select_related("program", "tier", "channel_manager"))


def partner_people(partner: Partner) -> QuerySet:
    """The partner's users with their membership (role, active, last sign-in), admins first."""
    return (
        PartnerUser.objects.filter(partner=partner)
        .select_related("membership__user")
        .order_by("-membership__is_active", "membership__role", "membership__user__email")
    )


def partner_user_get(partner: Partner, *, user_id: int) -> PartnerUser | None:
    return partner_people(partner).filter(membership__user_id=user_id).first()


def partner_status_history(partner: Partner) -> QuerySet:
    return PartnerStatusChange.objects.filter(partner=partner).select_related("actor").order_by("-changed_at", "-id")


def channel_manager_candidates() -> QuerySet:
    """Users who may look after partners: active vendor-role members of the tenant in context."""
    members = Membership.objects.filter(role__in=VENDOR_ROLES, is_active=True).values("user_id")
    return User.objects.filter(pk__in=members).order_by("full_name", "email")


# --- Coverage -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dimension:
    key: str  # also the directory's filter parameter
    column: str
    is_array: bool


DIMENSIONS: dict[str, Dimension] = {
    "region": Dimension("region", "regions", True),
    "country": Dimension("country", "country", False),
    "type": Dimension("type", "types", True),
    "vertical": Dimension("vertical", "verticals", True),
    "capability": Dimension("capability", "capabilities", True),
    "tier": Dimension("tier", "tier_id", False),
    "status": Dimension("status", "status", False),
    "program": Dimension("program", "program_id", False),
}
_CHOICES = {
    "region": Region.choices,
    "type": PartnerType.choices,
    "vertical": Vertical.choices,
    "capability": Capability.choices,
    "status": PartnerStatus.choices,
}


@dataclass
class Coverage:
    rows: list[tuple[str, str]]  # (value, label)
    cols: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]
    row_totals: dict[str, int]
    col_totals: dict[str, int]
    total: int


def _values_sql(alias: str, dimension: Dimension) -> str:
    """The dimension's values of one partner as a text[] without blanks (a scalar becomes a 1-array)."""
    source = f"p.{alias}::text[]" if dimension.is_array else f"ARRAY[p.{alias}::text]"
    return f"array_remove(array_remove({source}, NULL), '')"


def _axis(dimension: str, seen: set[str]) -> list[tuple[str, str]]:
    if dimension in _CHOICES:
        return [(str(value), str(label)) for value, label in _CHOICES[dimension]]
    if dimension == "tier":
        return [
            (str(tier.pk), str(tier)) for tier in Tier.objects.select_related("program").order_by("program", "rank")
        ]
    if dimension == "program":
        return [(str(program.pk), program.name) for program in Program.objects.all()]
    return sorted(((code, country_name(code)) for code in seen), key=lambda item: item[1])


def coverage_matrix(partners: QuerySet, *, rows: str, cols: str) -> Coverage:
    """Count `partners` per row value × column value of two profile dimensions in one query.

    Array dimensions are unnested, so a partner active in two regions counts in both rows; totals
    count each partner once (a row total is the partners with that row value, whatever the column).
    """
    row_dim, col_dim = DIMENSIONS[rows], DIMENSIONS[cols]
    inner = (
        partners.order_by().annotate(d_row=F(row_dim.column), d_col=F(col_dim.column)).values("id", "d_row", "d_col")
    )
    inner_sql, params = inner.query.sql_with_params()
    sql = f"""
        SELECT r.v, c.v, GROUPING(r.v), GROUPING(c.v), COUNT(DISTINCT p.id)
        FROM ({inner_sql}) AS p
        LEFT JOIN LATERAL unnest({_values_sql("d_row", row_dim)}) AS r(v) ON TRUE
        LEFT JOIN LATERAL unnest({_values_sql("d_col", col_dim)}) AS c(v) ON TRUE
        GROUP BY GROUPING SETS ((r.v, c.v), (r.v), (c.v), ())
    """
    cells, row_totals, col_totals, total = {}, {}, {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row_value, col_value, row_grouped, col_grouped, count in cursor.fetchall():
            if row_grouped and col_grouped:
                total = count
            elif col_grouped:
                if row_value is not None:
                    row_totals[row_value] = count
            elif row_grouped:
                if col_value is not None:
                    col_totals[col_value] = count
            elif row_value is not None and col_value is not None:
                cells[(row_value, col_value)] = count
    return Coverage(
        rows=_axis(rows, set(row_totals)),
        cols=_axis(cols, set(col_totals)),
        cells=cells,
        row_totals=row_totals,
        col_totals=col_totals,
        total=total,
    )


def partner_pipeline() -> dict:
    """What vendor staff check first: partners per status, open applications, promotions to decide."""
    by_status = dict(Partner.objects.order_by().values_list("status").annotate(count=Count("pk")))
    open_applications = PartnerApplication.objects.filter(
        status__in=[PartnerApplication.Status.SUBMITTED, PartnerApplication.Status.INFO_REQUESTED]
    ).aggregate(
        total=Count("pk"),
        flagged=Count("pk", filter=Q(duplicate_of_partner__isnull=False) | Q(duplicate_of_application__isnull=False)),
    )
    return {
        "statuses": [(status, label, by_status.get(status, 0)) for status, label in PartnerStatus.choices],
        "open_applications": open_applications["total"],
        "flagged_applications": open_applications["flagged"],
        "pending_promotions": TierChange.objects.filter(status=TierChange.Status.PENDING).count(),
    }
