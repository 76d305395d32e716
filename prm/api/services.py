import hashlib
import hmac
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.accounts.selectors import user_has_mfa
from prm.accounts.services import user_verify_mfa_code
from prm.audit.services import audit_record
from prm.errors import AuthenticationRefused, InvalidInput, StateConflict

from .models import ApiToken

TOKEN_PREFIX = "prm"
MAX_EXPIRY_DAYS = 365


class TooManyAttempts(Exception):
    """allauth's login rate limit refused the attempt."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(raw: str) -> tuple[str, str] | None:
    """`prm_<prefix>_<secret>` → (prefix, secret), or None if it is not shaped like a token."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(token: ApiToken, secret: str) -> bool:
    return hmac.compare_digest(token.key_hash, _hash(secret))


@transaction.atomic
def api_token_issue(*, user, name: str, expires_in_days: int | None = None, actor=None) -> tuple[ApiToken, str]:
    """Create a token for `user` at the tenant in context. The raw value is returned once, never stored."""
    name = (name or "").strip() or _("API token")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput(
            _("Expiry must be between 1 and %(max)s days.") % {"max": MAX_EXPIRY_DAYS},
            fields={"expires_in_days": [_("Out of range.")]},
        )
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    for _attempt in range(5):
        prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, name=name[:100], prefix=prefix, key_hash=_hash(secret), expires_at=expires_at
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 48 random bits colliding five times
        raise RuntimeError("Could not allocate a unique token prefix.")
    audit_record(
        action="api_token.issue",
        actor=actor or user,
        obj=token,
        context={"user": user.email, "expires_at": expires_at},
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is not None:
        raise StateConflict(_("This token is already revoked."), current_state="revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="api_token.revoke", actor=actor, obj=token, changes={"revoked_at": [None, token.revoked_at]})
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute per token (no write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def api_token_obtain(
    *, request, email: str, password: str, otp: str = "", name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Exchange email + password (+ MFA code) for a token at the tenant in context.

    Goes through allauth's authentication, so its login rate limits and the
    tenant-membership check of the login page apply here too.
    """
    try:
        user = get_adapter(request).authenticate(request, email=email.strip().lower(), password=password)
    except ValidationError as exc:
        raise TooManyAttempts(" ".join(exc.messages)) from exc
    if user is None:
        raise AuthenticationRefused(_("Email or password is not correct."), code="invalid_credentials")
    if user_has_mfa(user=user):
        if not otp:
            raise AuthenticationRefused(_("Enter the code from your authenticator app."), code="mfa_required")
        if not user_verify_mfa_code(user=user, code=otp):
            raise AuthenticationRefused(_("The authentication code is not valid."), code="invalid_otp")
    return api_token_issue(user=user, name=name, expires_in_days=expires_in_days)
