"""Field validators for tenant settings (pure: no database)."""

import re
from zoneinfo import available_timezones

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_RE = re.compile(r"^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$")
HOSTNAME_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Subdomains PRM or common infrastructure may want for itself.
RESERVED_SLUGS = frozenset({"www", "api", "admin", "app", "static", "media", "mail", "platform", "status"})


def validate_tenant_slug(value: str) -> None:
    if not SLUG_RE.match(value or ""):
        raise ValidationError(
            _("Use 1–40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen."),
            code="invalid_slug",
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved."), code="reserved_slug", params={"slug": value})


def validate_hostname(value: str) -> None:
    labels = (value or "").lower().split(".")
    if len(value) > 253 or len(labels) < 2 or not all(HOSTNAME_LABEL_RE.match(label) for label in labels):
        raise ValidationError(_("Enter a host name such as partners.example.com."), code="invalid_hostname")


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError(_("Enter a colour as #RRGGBB."), code="invalid_colour")


_TIMEZONES = frozenset(available_timezones())
_CURRENCIES = frozenset(list_currencies())


def validate_timezone(value: str) -> None:
    if value not in _TIMEZONES:
        raise ValidationError(_("“%(tz)s” is not a known time zone."), code="invalid_timezone", params={"tz": value})


def validate_currency(value: str) -> None:
    if value not in _CURRENCIES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code."), code="invalid_currency", params={"code": value}
        )


LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
LOGO_MAX_PIXELS = 2048


def sniff_image_type(head: bytes) -> str | None:
    """The MIME type of a PNG, JPEG or WebP file from its first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_logo_file(upload) -> None:
    """PNG, JPEG or WebP by content (not by name), at most PRM_LOGO_MAX_BYTES and 2048 px a side."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    if upload.size > settings.PRM_LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo may be at most %(kb)s KB."),
            code="file_too_large",
            params={"kb": settings.PRM_LOGO_MAX_BYTES // 1024},
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="invalid_image") from exc
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="invalid_image")
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo may be at most %(px)s pixels wide or high."),
            code="image_too_big",
            params={"px": LOGO_MAX_PIXELS},
        )


def timezone_choices() -> list[tuple[str, str]]:
    return [(tz, tz) for tz in sorted(_TIMEZONES)]


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(_CURRENCIES)]
