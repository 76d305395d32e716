import contextlib
import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from deals.rules import normalise_company_name
from partners.models import PartnerUser
from prm.accounts.models import Membership, User
from prm.accounts.roles import Role
from prm.api.services import api_token_issue
from prm.tenancy.context import current_state, tenant_context
from prm.tenancy.models import Tenant, TenantDomain

DEFAULT_PASSWORD = "correct-horse-battery-1"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    slug = factory.Sequence(lambda n: f"vendor{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} Inc")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        obj.save()
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class TenantOwnedFactory(factory.django.DjangoModelFactory):
    """Creates the row inside its tenant's context unless a context is already active."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if current_state().is_set:
            return super()._create(model_class, *args, **kwargs)
        with tenant_context(kwargs["tenant"]):
            return super()._create(model_class, *args, **kwargs)


class MembershipFactory(TenantOwnedFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CHANNEL_MANAGER


class TenantDomainFactory(TenantOwnedFactory):
    class Meta:
        model = TenantDomain

    tenant = factory.SubFactory(TenantFactory)
    hostname = factory.Sequence(lambda n: f"partners{n}.example.org")


def issue_token(membership: Membership, **kwargs) -> str:
    """A raw bearer token for `membership`'s user at its tenant."""
    with tenant_context(membership.tenant):
        _token, raw = api_token_issue(user=membership.user, name=kwargs.pop("name", "test"), **kwargs)
    return raw


# --- partners ---------------------------------------------------------------------------------


class ProgramFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.Program"

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")


class TierFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.Tier"

    program = factory.SubFactory(ProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = factory.Sequence(lambda n: n)


class TierCriterionFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.TierCriterion"

    tier = factory.SubFactory(TierFactory)
    tenant = factory.SelfAttribute("tier.tenant")
    metric = "days_since_joining"
    threshold = 0


class ChecklistStepTemplateFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.ChecklistStepTemplate"

    program = factory.SubFactory(ProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    kind = "manual"
    title = factory.Sequence(lambda n: f"Step {n}")
    position = factory.Sequence(lambda n: n)


class AgreementFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.Agreement"

    program = factory.SubFactory(ProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    version = 1
    title = "Partner agreement"
    body = "The partner agrees to the rules of engagement."
    published_at = factory.LazyFunction(timezone.now)


class PartnerFactory(TenantOwnedFactory):
    """A partner row as stored (no checklist, no status history); use `partner_create` for the full service."""

    class Meta:
        model = "partners.Partner"

    program = factory.SubFactory(ProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    name = factory.Sequence(lambda n: f"Partner {n} BV")
    website = factory.Sequence(lambda n: f"https://partner{n}.example")
    domain = factory.Sequence(lambda n: f"partner{n}.example")
    status = "active"
    country = "NL"
    regions = factory.LazyFunction(lambda: ["europe"])
    types = factory.LazyFunction(lambda: ["reseller"])
    joined_at = factory.LazyFunction(timezone.now)


class PartnerApplicationFactory(TenantOwnedFactory):
    class Meta:
        model = "partners.PartnerApplication"

    program = factory.SubFactory(ProgramFactory)
    tenant = factory.SelfAttribute("program.tenant")
    company_name = factory.Sequence(lambda n: f"Applicant {n} GmbH")
    website = factory.Sequence(lambda n: f"https://applicant{n}.example")
    domain = factory.Sequence(lambda n: f"applicant{n}.example")
    contact_name = "Ada Applicant"
    contact_email = factory.Sequence(lambda n: f"ada{n}@applicant.example")
    country = "DE"
    types = factory.LazyFunction(lambda: ["reseller"])
    regions = factory.LazyFunction(lambda: ["europe"])
    expected_annual_revenue = 250000


def partner_member(partner, role=Role.PARTNER_ADMIN, **user_kwargs) -> Membership:
    """A user with a partner role at `partner`'s vendor, attached to `partner` (no invitation email)."""
    membership = MembershipFactory(tenant=partner.tenant, role=role, user=UserFactory(**user_kwargs))
    with contextlib.nullcontext() if current_state().is_set else tenant_context(partner.tenant):
        PartnerUser.objects.create(partner=partner, membership=membership)
    return membership


# --- deals ------------------------------------------------------------------------------------


class ProductFactory(TenantOwnedFactory):
    class Meta:
        model = "deals.Product"

    tenant = factory.SubFactory(TenantFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Cloud Suite {n}")
    family = "Cloud"
    list_price = 1000
    currency = "USD"


class HouseAccountFactory(TenantOwnedFactory):
    class Meta:
        model = "deals.HouseAccount"

    tenant = factory.SubFactory(TenantFactory)
    company_name = factory.Sequence(lambda n: f"House Account {n} Inc")
    name_normalised = factory.LazyAttribute(lambda o: normalise_company_name(o.company_name))
    domain = factory.Sequence(lambda n: f"house{n}.example")


class DealFactory(TenantOwnedFactory):
    """A stored registration (no conflict check, no history); use the services for the real flow."""

    class Meta:
        model = "deals.Deal"

    partner = factory.SubFactory(PartnerFactory)
    tenant = factory.SelfAttribute("partner.tenant")
    status = "submitted"
    customer_name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    customer_name_normalised = factory.LazyAttribute(lambda o: normalise_company_name(o.customer_name))
    customer_domain = factory.Sequence(lambda n: f"customer{n}.example")
    country = "NL"
    expected_close_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    estimated_value = 50000
    currency = "USD"
    submitted_at = factory.LazyFunction(timezone.now)


class LeadFactory(TenantOwnedFactory):
    class Meta:
        model = "deals.Lead"

    tenant = factory.SubFactory(TenantFactory)
    company_name = factory.Sequence(lambda n: f"Prospect {n} GmbH")
    company_domain = factory.Sequence(lambda n: f"prospect{n}.example")
    contact_name = "Pat Prospect"
    contact_email = factory.Sequence(lambda n: f"pat{n}@prospect.example")
    country = "DE"
    region = "europe"


class SaleRecordFactory(TenantOwnedFactory):
    class Meta:
        model = "deals.SaleRecord"

    partner = factory.SubFactory(PartnerFactory)
    tenant = factory.SelfAttribute("partner.tenant")
    external_id = factory.Sequence(lambda n: f"INV-{n:06d}")
    customer_name = factory.Sequence(lambda n: f"Buyer {n} BV")
    booked_on = factory.LazyFunction(timezone.localdate)
    amount = 10000
    currency = "USD"
    kind = "new"
    source = "import"
