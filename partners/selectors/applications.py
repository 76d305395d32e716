from django.db.models import Prefetch, Q, QuerySet

from ..models import PartnerApplication, Program, Tier

DUPLICATE = Q(duplicate_of_partner__isnull=False) | Q(duplicate_of_application__isnull=False)


def programs_public() -> QuerySet:
    """The programs shown on the "Become a partner" page, each with its tiers in rank order (two queries)."""
    tiers = Prefetch("tiers", queryset=Tier.objects.order_by("rank"))
    return Program.objects.filter(is_public=True).order_by("position", "name").prefetch_related(tiers)


def program_public_default() -> Program | None:
    """The program an application joins when it names none: the first public one."""
    return Program.objects.filter(is_public=True).order_by("position", "name").first()


def application_list(*, status: str | None = None, duplicate: bool | None = None) -> QuerySet:
    """Applications, newest first, with what a review list shows in the same query."""
    applications = PartnerApplication.objects.select_related(
        "program", "duplicate_of_partner", "duplicate_of_application", "partner", "decided_by"
    ).order_by("-created_at", "-id")
    if status:
        applications = applications.filter(status=status)
    if duplicate is not None:
        applications = applications.filter(DUPLICATE) if duplicate else applications.exclude(DUPLICATE)
    return applications


def applications_same_domain(application: PartnerApplication) -> QuerySet:
    """The other applications from the same domain, oldest first (for the review page)."""
    return (
        PartnerApplication.objects.filter(domain=application.domain)
        .exclude(pk=application.pk)
        .select_related("program")
        .order_by("created_at", "id")
    )
