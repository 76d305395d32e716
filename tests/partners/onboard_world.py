"""Shared set-up for the onboarding tests: a program with a checklist and partners in onboarding."""

from datetime import timedelta

from django.utils import timezone

from partners.models import OnboardingStep, Partner
from partners.services import partner_create
from prm.tenancy.context import tenant_context
from tests.factories import AgreementFactory, ChecklistStepTemplateFactory, ProgramFactory


def program_with_checklist(tenant, *, target_days: int = 60, agreement: bool = True):
    program = ProgramFactory(tenant=tenant, onboarding_target_days=target_days)
    ChecklistStepTemplateFactory(program=program, kind="accept_agreement", title="Accept the agreement", position=1)
    ChecklistStepTemplateFactory(program=program, kind="complete_profile", title="Complete your profile", position=2)
    ChecklistStepTemplateFactory(program=program, kind="manual", title="Kick-off call", position=3)
    ChecklistStepTemplateFactory(
        program=program, kind="upload_logo", title="Upload a logo", position=4, is_required=False
    )
    if agreement:
        AgreementFactory(program=program, version=1, title="Reseller agreement", body="Be nice to customers.")
    return program


def onboarding_partner(program, name: str = "Nimbus IT", *, joined_days_ago: int = 0, channel_manager=None) -> Partner:
    with tenant_context(program.tenant):
        partner = partner_create(actor=None, name=name, program=program, channel_manager=channel_manager)
        if joined_days_ago:
            joined = timezone.now() - timedelta(days=joined_days_ago)
            Partner.objects.filter(pk=partner.pk).update(joined_at=joined)
            partner.refresh_from_db()
    return partner


def step_of(partner, kind: str) -> OnboardingStep:
    with tenant_context(partner.tenant):
        return OnboardingStep.objects.get(partner=partner, kind=kind)


def complete_step(partner, kind: str, *, days_ago: int = 0) -> None:
    with tenant_context(partner.tenant):
        OnboardingStep.objects.filter(partner=partner, kind=kind).update(
            completed_at=timezone.now() - timedelta(days=days_ago), completion_note="test"
        )
