import factory
from allauth.account.models import EmailAddress

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
