import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from prm.accounts.models import Membership, User
from prm.accounts.roles import Role
from prm.accounts.services import membership_grant
from prm.ops.demo import demo_steps, demo_user_ensure
from prm.tenancy.context import all_tenants, tenant_context
from prm.tenancy.models import Tenant
from prm.tenancy.selectors import tenant_portal_url
from prm.tenancy.services import tenant_create

DEMO_TENANTS = [
    {
        "slug": "acme",
        "name": "Acme Cloud",
        "portal_title": "Acme Partner Network",
        "primary_color": "#0f3d91",
        "accent_color": "#ff8a00",
        "support_email": "partners@acme.example",
        "timezone": "America/New_York",
        "currency": "USD",
        "default_language": "en",
    },
    {
        "slug": "globex",
        "name": "Globex Software",
        "portal_title": "Globex Partner Portal",
        "primary_color": "#0f766e",
        "accent_color": "#e11d48",
        "support_email": "channel@globex.example",
        "timezone": "Europe/Amsterdam",
        "currency": "EUR",
        "default_language": "en",
    },
]
DEMO_ROLES = [("admin", Role.TENANT_ADMIN, "Ada Admin"), ("manager", Role.CHANNEL_MANAGER, "Max Manager"),
              ("analyst", Role.VENDOR_STAFF, "Ana Analyst")]  # fmt: skip
OPERATOR_EMAIL = "operator@prm.example"


def demo_logo(text: str, colour: str) -> SimpleUploadedFile:
    """A generated square logo, so the demo shows branding without shipping image files."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (128, 128), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=72)
    draw.text((64, 64), text, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


class Command(BaseCommand):
    help = "Load the demo tenants, their staff and every app's demo data. Safe to run repeatedly."

    def handle(self, *args, **options):
        password = settings.PRM_DEMO_PASSWORD
        with transaction.atomic():
            demo_user_ensure(OPERATOR_EMAIL, "Olive Operator", password, is_staff=True, is_superuser=True)
        logins = [("platform", self._platform_url(), OPERATOR_EMAIL)]
        for spec in DEMO_TENANTS:
            tenant = self._ensure_tenant(spec)
            with tenant_context(tenant), transaction.atomic():
                for local_part, role, full_name in DEMO_ROLES:
                    email = f"{local_part}@{tenant.slug}.example"
                    user = demo_user_ensure(email, full_name, password)
                    self._ensure_membership(tenant, user, role)
                    logins.append((tenant.slug, tenant_portal_url(tenant=tenant), email))
                for step in demo_steps():
                    step.run(tenant, self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with password " + repr(password) + ":"))
        for where, url, email in logins:
            self.stdout.write(f"  {where:<9} {url:<34} {email}")

    def _platform_url(self) -> str:
        port = settings.PRM_PUBLIC_PORT
        netloc = settings.PRM_BASE_DOMAIN + (f":{port}" if port and port not in ("80", "443") else "")
        return f"{settings.PRM_PUBLIC_SCHEME}://{netloc}/admin/"

    def _ensure_tenant(self, spec: dict) -> Tenant:
        tenant = Tenant.objects.filter(slug=spec["slug"]).first()
        if tenant is not None:
            return tenant
        values = {key: value for key, value in spec.items() if key not in ("slug", "name")}
        logo = demo_logo(spec["name"][0], spec["primary_color"])
        with all_tenants():  # creating a tenant is a platform operation
            return tenant_create(actor=None, slug=spec["slug"], name=spec["name"], logo=logo, **values)

    def _ensure_membership(self, tenant: Tenant, user: User, role: str) -> None:
        membership = Membership.objects.filter(user=user).first()
        if membership is None:
            membership_grant(tenant=tenant, actor=None, user=user, role=role)
        elif membership.role != role or not membership.is_active:
            Membership.objects.filter(pk=membership.pk).update(role=role, is_active=True, deactivated_at=None)
