from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from prm.accounts.roles import Role

from ..models import Agreement, AgreementAcceptance, ChecklistStepTemplate, Partner, Program


def agreement_versions_of(program: Program) -> QuerySet:
    return Agreement.objects.filter(program=program).order_by("-version")


def agreement_current(program: Program | int) -> Agreement | None:
    """The newest published version of the program's agreement (None before the first is published)."""
    program_id = program if isinstance(program, int) else program.pk
    return (
        Agreement.objects.filter(program_id=program_id, published_at__isnull=False)
        .select_related("program")
        .order_by("-version")
        .first()
    )


def agreement_pending_for(*, membership, partner: Partner | None) -> Agreement | None:
    """The current agreement version this partner admin still has to accept for `partner`, in one query.

    Reps and vendor staff are never asked; neither is anyone while the program has no published version.
    """
    if membership is None or partner is None or membership.role != Role.PARTNER_ADMIN:
        return None
    accepted = AgreementAcceptance.objects.filter(agreement=OuterRef("pk"), partner=partner, user_id=membership.user_id)
    current = (
        Agreement.objects.filter(program_id=partner.program_id, published_at__isnull=False)
        .annotate(accepted=Exists(accepted))
        .order_by("-version")
        .first()
    )
    return current if current is not None and not current.accepted else None


def agreement_acceptances_of(partner: Partner) -> QuerySet:
    """Who accepted which version for `partner`, newest first."""
    return (
        AgreementAcceptance.objects.filter(partner=partner)
        .select_related("agreement", "user")
        .order_by("-accepted_at", "-id")
    )


def agreement_accepted_ids(*, partner: Partner) -> set[int]:
    """Agreement versions any admin of `partner` has accepted."""
    return set(AgreementAcceptance.objects.filter(partner=partner).values_list("agreement_id", flat=True))


def programs_with_checklist_and_agreement() -> QuerySet:
    """Programs with their checklist and published versions prefetched (newest first): fixed query count."""
    return Program.objects.prefetch_related(
        Prefetch("checklist", queryset=ChecklistStepTemplate.objects.order_by("position", "id")),
        Prefetch(
            "agreements",
            queryset=Agreement.objects.filter(published_at__isnull=False).order_by("-version"),
            to_attr="published_agreements",
        ),
    ).order_by("position", "name")
