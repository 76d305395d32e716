from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.tenancy.models import Tenant
from prm.tenancy.selectors import tenant_portal_url

from .models import Membership, SignIn, User
from .roles import VENDOR_ROLES, Role


def user_get_or_create_invited(*, email: str, full_name: str = "") -> User:
    """The identity for `email`, created without a usable password (and unverified) if new."""
    user, created = User.objects.get_or_create(
        email=User.objects.normalize_email(email),
        defaults={"full_name": full_name.strip(), "password": make_password(None)},
    )
    if created:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def password_setup_url(*, tenant: Tenant, user: User) -> str:
    """An allauth reset-password link on the tenant's host: the invitee chooses a password."""
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token})
    return tenant_portal_url(tenant=tenant, path=path)


@transaction.atomic
def membership_grant(*, tenant: Tenant, actor, user: User, role: str, action: str = "membership.grant") -> Membership:
    """Give an existing identity a role at `tenant` (no email). Raises Duplicate if already a member."""
    existing = Membership.objects.filter(tenant=tenant, user=user).first()
    if existing is not None:
        state = _("active") if existing.is_active else _("deactivated")
        raise Duplicate(_("%(email)s is already a member (%(state)s).") % {"email": user.email, "state": state})
    membership = Membership.objects.create(tenant=tenant, user=user, role=role, invited_by=actor)
    audit_record(
        action=action,
        actor=actor,
        obj=membership,
        changes={"role": [None, role], "is_active": [None, True]},
        context={"email": user.email},
    )
    return membership


@transaction.atomic
def membership_invite(*, tenant: Tenant, actor, email: str, role: str, full_name: str = "") -> Membership:
    """Give `email` a vendor role at `tenant` and email them the way in."""
    from .tasks import membership_invitation_send_task

    if role not in VENDOR_ROLES:
        raise InvalidInput(
            _("Partner users are invited from their partner company."), fields={"role": [_("Choose a vendor role.")]}
        )
    try:
        validate_email((email or "").strip())
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid email address."), fields={"email": exc.messages}) from exc
    user = user_get_or_create_invited(email=email, full_name=full_name)
    membership = membership_grant(tenant=tenant, actor=actor, user=user, role=role, action="membership.invite")
    membership_invitation_send_task.delay_on_commit(tenant_id=tenant.pk, membership_id=membership.pk)
    return membership


def _lock_admins(tenant: Tenant) -> int:
    """Count active tenant admins, holding their rows so two demotions cannot race."""
    admins = Membership.objects.select_for_update().filter(tenant=tenant, role=Role.TENANT_ADMIN, is_active=True)
    return len(list(admins.values_list("pk", flat=True)))


def _refuse_if_last_admin(membership: Membership) -> None:
    if membership.role == Role.TENANT_ADMIN and membership.is_active and _lock_admins(membership.tenant) <= 1:
        raise StateConflict(_("A portal needs at least one active tenant admin."), current_state=membership.role)


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    if role not in VENDOR_ROLES or membership.role not in VENDOR_ROLES:
        raise InvalidInput(_("Only vendor roles can be changed here."), fields={"role": [_("Choose a vendor role.")]})
    if role == membership.role:
        return membership
    if role != Role.TENANT_ADMIN:
        _refuse_if_last_admin(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(action="membership.change_role", actor=actor, obj=membership, changes={"role": [before, role]})
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor) -> Membership:
    if not membership.is_active:
        raise StateConflict(_("This membership is already deactivated."), current_state="inactive")
    _refuse_if_last_admin(membership)
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    audit_record(action="membership.deactivate", actor=actor, obj=membership, changes={"is_active": [True, False]})
    return membership


@transaction.atomic
def membership_reactivate(*, membership: Membership, actor) -> Membership:
    if membership.is_active:
        raise StateConflict(_("This membership is already active."), current_state="active")
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    audit_record(action="membership.reactivate", actor=actor, obj=membership, changes={"is_active": [False, True]})
    return membership


@transaction.atomic
def membership_resend_invitation(*, membership: Membership, actor) -> None:
    from .tasks import membership_invitation_send_task

    if not membership.is_active:
        raise StateConflict(_("Reactivate the membership before inviting again."), current_state="inactive")
    audit_record(action="membership.resend_invitation", actor=actor, obj=membership)
    membership_invitation_send_task.delay_on_commit(tenant_id=membership.tenant_id, membership_id=membership.pk)


def membership_record_sign_in(*, user: User) -> None:
    """Note that `user` signed in to the portal in context: the last time (the team page shows it) and one `SignIn`
    row (engagement counts sign-ins over a window)."""
    now = timezone.now()
    memberships = list(Membership.objects.filter(user=user, is_active=True).values_list("pk", flat=True))
    Membership.objects.filter(pk__in=memberships).update(last_login_at=now)
    SignIn.objects.bulk_create([SignIn(membership_id=pk) for pk in memberships])


def user_mark_email_verified(*, user: User) -> None:
    """Receiving a password link at an address proves the address: mark it verified."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


def membership_invitation_send(*, membership: Membership) -> None:
    """Email the invitee: a link to choose a password, or to sign in if they already have one."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    tenant, user = membership.tenant, membership.user
    context = {
        "tenant": tenant,
        "membership": membership,
        "inviter": membership.invited_by,
        "needs_password": not user.has_usable_password(),
        "setup_url": password_setup_url(tenant=tenant, user=user),
        "login_url": tenant_portal_url(tenant=tenant, path=reverse("account_login")),
    }
    with translation.override(tenant.default_language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def user_verify_mfa_code(*, user: User, code: str) -> bool:
    """True if `code` is a current TOTP code or an unused recovery code of `user` (which it uses up)."""
    from allauth.mfa.models import Authenticator

    code = (code or "").strip()
    if not code:
        return False
    authenticators = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    for authenticator in authenticators:
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False
