import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from prm.accounts import services
from prm.accounts.models import Membership, User
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin(tenant_a):
    return MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)


@pytest.mark.usefixtures("celery_eager")
def test_invite_creates_identity_membership_audit_and_email(tenant_a, admin, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            tenant=tenant_a, actor=admin.user, email="  Sam@Example.COM ", role=Role.CHANNEL_MANAGER, full_name="Sam"
        )
        event = AuditEvent.objects.get(action="membership.invite")
    user = membership.user
    assert (user.email, user.full_name, user.has_usable_password()) == ("sam@example.com", "Sam", False)
    assert EmailAddress.objects.get(user=user).verified is False
    assert (membership.role, membership.invited_by) == (Role.CHANNEL_MANAGER, admin.user)
    assert event.actor == admin.user and event.changes["role"] == [None, "channel_manager"]
    assert "Choose your password" in mail.outbox[0].body


@pytest.mark.usefixtures("celery_eager")
def test_inviting_someone_from_another_vendor_reuses_their_identity(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    elsewhere = MembershipFactory(tenant=tenant_b)
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            tenant=tenant_a, actor=admin.user, email=elsewhere.user.email.upper(), role=Role.VENDOR_STAFF
        )
    assert membership.user == elsewhere.user
    assert User.objects.filter(email=elsewhere.user.email).count() == 1
    assert "Sign in with the email address and password you already use" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("email", "role", "error"),
    [
        ("ok@example.com", Role.PARTNER_REP, InvalidInput),
        ("not-an-email", Role.VENDOR_STAFF, InvalidInput),
        ("", Role.VENDOR_STAFF, InvalidInput),
    ],
)
def test_invite_rejects_bad_input_and_changes_nothing(tenant_a, admin, email, role, error):
    with tenant_context(tenant_a):
        before = Membership.objects.count()
        with pytest.raises(error):
            services.membership_invite(tenant=tenant_a, actor=admin.user, email=email, role=role)
        assert Membership.objects.count() == before


def test_invite_refuses_an_existing_member(tenant_a, admin):
    with tenant_context(tenant_a), pytest.raises(Duplicate, match="already a member"):
        services.membership_invite(tenant=tenant_a, actor=admin.user, email=admin.user.email, role=Role.VENDOR_STAFF)


def test_the_last_tenant_admin_cannot_be_demoted_or_deactivated(tenant_a, admin):
    with tenant_context(tenant_a):
        with pytest.raises(StateConflict) as demoted:
            services.membership_change_role(membership=admin, actor=admin.user, role=Role.CHANNEL_MANAGER)
        with pytest.raises(StateConflict):
            services.membership_deactivate(membership=admin, actor=admin.user)
        admin.refresh_from_db()
    assert demoted.value.current_state == Role.TENANT_ADMIN
    assert (admin.role, admin.is_active) == (Role.TENANT_ADMIN, True)


def test_with_a_second_admin_one_can_step_down(tenant_a, admin):
    MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    with tenant_context(tenant_a):
        services.membership_change_role(membership=admin, actor=admin.user, role=Role.VENDOR_STAFF)
        actions = list(AuditEvent.objects.values_list("action", "changes"))
    assert admin.role == Role.VENDOR_STAFF
    assert ("membership.change_role", {"role": ["tenant_admin", "vendor_staff"]}) in actions


def test_deactivate_and_reactivate_are_transitions(tenant_a, admin):
    member = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    with tenant_context(tenant_a):
        services.membership_deactivate(membership=member, actor=admin.user)
        assert member.deactivated_at is not None
        with pytest.raises(StateConflict, match="already deactivated"):
            services.membership_deactivate(membership=member, actor=admin.user)
        services.membership_reactivate(membership=member, actor=admin.user)
        with pytest.raises(StateConflict, match="already active"):
            services.membership_reactivate(membership=member, actor=admin.user)
        assert list(AuditEvent.objects.filter(object_id=str(member.pk)).values_list("action", flat=True)) == [
            "membership.reactivate",
            "membership.deactivate",
        ]


def test_mfa_codes_accept_totp_and_single_use_recovery_codes(db):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    recovery = RecoveryCodes.activate(user)
    code = recovery.get_unused_codes()[0]
    assert services.user_verify_mfa_code(user=user, code="000000") is False
    assert services.user_verify_mfa_code(user=user, code=code) is True
    assert services.user_verify_mfa_code(user=user, code=code) is False
