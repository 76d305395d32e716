"""The core partner services every area builds on: creation, lifecycle, people."""

import pytest
from django.core import mail

from partners.models import OnboardingStep, PartnerStatusChange, PartnerUser
from partners.rules import can_transition, onboarding_progress
from partners.services import (
    onboarding_event_record,
    partner_create,
    partner_transition,
    partner_user_deactivate,
    partner_user_invite,
)
from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.tenancy.context import tenant_context

from ..factories import (
    ChecklistStepTemplateFactory,
    MembershipFactory,
    PartnerFactory,
    ProgramFactory,
    TierFactory,
    UserFactory,
    partner_member,
)


def test_lifecycle_rules():
    assert can_transition("onboarding", "active")
    assert can_transition("suspended", "active")
    assert not can_transition("offboarded", "active")
    assert not can_transition("applicant", "active")


def test_onboarding_progress_rounds_down_and_treats_no_required_steps_as_done():
    assert onboarding_progress(required_total=3, required_done=2) == 66
    assert onboarding_progress(required_total=0, required_done=0) == 100


def test_partner_create_starts_on_the_entry_tier_with_checklist_and_history(tenant_a, member):
    program = ProgramFactory(tenant=tenant_a)
    TierFactory(program=program, rank=1, name="Gold")
    registered = TierFactory(program=program, rank=0, name="Registered")
    ChecklistStepTemplateFactory(program=program, kind="accept_agreement")
    ChecklistStepTemplateFactory(program=program, kind="manual")
    manager = member(tenant_a)
    with tenant_context(tenant_a):
        partner = partner_create(
            actor=manager.user, name="Nimbus IT", program=program, website="https://www.Nimbus.nl/"
        )
        assert partner.domain == "nimbus.nl"
        assert partner.tier == registered
        assert partner.status == "onboarding" and partner.joined_at is not None
        assert OnboardingStep.objects.filter(partner=partner).count() == 2
        assert list(PartnerStatusChange.objects.values_list("from_status", "to_status")) == [("", "onboarding")]
        with pytest.raises(Duplicate):
            partner_create(actor=manager.user, name="Nimbus again", program=program, website="nimbus.nl")


def test_transitions_are_dated_and_refused_when_not_allowed(tenant_a, member):
    manager = member(tenant_a)
    partner = PartnerFactory(program__tenant=tenant_a, status="onboarding")
    with tenant_context(tenant_a):
        partner_transition(partner=partner, actor=manager.user, to_status="active")
        partner.refresh_from_db()
        assert partner.onboarded_at is not None
        with pytest.raises(InvalidInput):
            partner_transition(partner=partner, actor=manager.user, to_status="suspended")
        partner_transition(partner=partner, actor=manager.user, to_status="offboarded", reason="Contract ended")
        with pytest.raises(StateConflict) as conflict:
            partner_transition(partner=partner, actor=manager.user, to_status="active")
        assert conflict.value.current_state == "offboarded"
        assert PartnerStatusChange.objects.filter(partner=partner).count() == 2


def test_invite_attaches_membership_and_emails(tenant_a, tenant_b, celery_eager, django_capture_on_commit_callbacks):
    partner = PartnerFactory(program__tenant=tenant_a)
    other = PartnerFactory(program__tenant=tenant_a)
    admin = partner_member(partner)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        link = partner_user_invite(partner=partner, actor=admin.user, email="Rep@Nimbus.example", role=Role.PARTNER_REP)
        assert link.membership.role == Role.PARTNER_REP and link.membership.user.email == "rep@nimbus.example"
        with pytest.raises(Duplicate, match="another partner"):
            partner_user_invite(partner=other, actor=admin.user, email="rep@nimbus.example", role=Role.PARTNER_ADMIN)
        with pytest.raises(InvalidInput):
            partner_user_invite(partner=partner, actor=admin.user, email="x@y.example", role=Role.CHANNEL_MANAGER)
    assert [message.to for message in mail.outbox] == [["rep@nimbus.example"]]
    # The same identity may join a partner of another vendor.
    partner_b = PartnerFactory(program__tenant=tenant_b)
    with tenant_context(tenant_b):
        partner_user_invite(partner=partner_b, actor=None, email="rep@nimbus.example", role=Role.PARTNER_ADMIN)
        assert PartnerUser.objects.count() == 1


def test_vendor_staff_cannot_be_invited_into_a_partner(tenant_a):
    staff = MembershipFactory(tenant=tenant_a, user=UserFactory(email="cm@acme.example"))
    partner = PartnerFactory(program__tenant=tenant_a)
    with tenant_context(tenant_a), pytest.raises(Duplicate, match="vendor's own team"):
        partner_user_invite(partner=partner, actor=None, email=staff.user.email, role=Role.PARTNER_REP)


def test_the_last_partner_admin_cannot_be_deactivated(tenant_a):
    partner = PartnerFactory(program__tenant=tenant_a)
    admin = partner_member(partner)
    rep = partner_member(partner, role=Role.PARTNER_REP)
    with tenant_context(tenant_a):
        with pytest.raises(StateConflict):
            partner_user_deactivate(partner_user=PartnerUser.objects.get(membership=admin), actor=admin.user)
        partner_user_deactivate(partner_user=PartnerUser.objects.get(membership=rep), actor=admin.user)
        assert not Membership.objects.get(pk=rep.pk).is_active


def test_events_complete_open_steps_of_their_kind_once(tenant_a):
    program = ProgramFactory(tenant=tenant_a)
    ChecklistStepTemplateFactory(program=program, kind="invite_rep")
    with tenant_context(tenant_a):
        partner = partner_create(actor=None, name="Quasar", program=program)
        assert onboarding_event_record(partner=partner, kind="invite_rep") == 1
        assert onboarding_event_record(partner=partner, kind="invite_rep") == 0
        with pytest.raises(KeyError):
            onboarding_event_record(partner=partner, kind="no_such_kind")


def test_progress_annotation_matches_the_rule(tenant_a):
    from partners.models import Partner
    from partners.selectors import with_onboarding_progress

    program = ProgramFactory(tenant=tenant_a)
    for kind in ("invite_rep", "manual", "upload_logo"):
        ChecklistStepTemplateFactory(program=program, kind=kind)
    ChecklistStepTemplateFactory(program=program, kind="complete_profile", is_required=False)
    with tenant_context(tenant_a):
        partner = partner_create(actor=None, name="Quasar", program=program)
        bare = partner_create(actor=None, name="Bare", program=ProgramFactory(tenant=tenant_a))
        onboarding_event_record(partner=partner, kind="invite_rep")
        onboarding_event_record(partner=partner, kind="complete_profile")
        progress = dict(with_onboarding_progress(Partner.objects.all()).values_list("pk", "onboarding_progress"))
    assert progress == {partner.pk: onboarding_progress(required_total=3, required_done=1), bare.pk: 100}
