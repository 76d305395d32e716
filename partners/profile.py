"""The partner-profile vocabulary (pure): types, regions, verticals, capabilities, sizes.

Fixed choice lists keep directory filters and the coverage matrix consistent across partners.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    RESELLER = "reseller", _("Reseller / VAR")
    MSP = "msp", _("Managed service provider")
    SYSTEMS_INTEGRATOR = "systems_integrator", _("Systems integrator")
    ISV = "isv", _("ISV / app builder")
    REFERRAL = "referral", _("Referral / affiliate")
    DISTRIBUTOR = "distributor", _("Distributor")


class Region(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    LATIN_AMERICA = "latin_america", _("Latin America")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST_AFRICA = "middle_east_africa", _("Middle East & Africa")
    ASIA_PACIFIC = "asia_pacific", _("Asia Pacific")


class Vertical(models.TextChoices):
    FINANCIAL_SERVICES = "financial_services", _("Financial services")
    HEALTHCARE = "healthcare", _("Healthcare")
    PUBLIC_SECTOR = "public_sector", _("Public sector")
    EDUCATION = "education", _("Education")
    RETAIL = "retail", _("Retail")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TECHNOLOGY = "technology", _("Technology")
    NON_PROFIT = "non_profit", _("Non-profit")


class Capability(models.TextChoices):
    LICENSING = "licensing", _("Licensing & resale")
    IMPLEMENTATION = "implementation", _("Implementation")
    MIGRATION = "migration", _("Cloud migration")
    MANAGED_SERVICES = "managed_services", _("Managed services")
    SUPPORT = "support", _("Support")
    TRAINING = "training", _("Training")
    APP_DEVELOPMENT = "app_development", _("App development")
    CONSULTING = "consulting", _("Consulting")


class CompanySize(models.TextChoices):
    MICRO = "1-10", _("1–10 employees")
    SMALL = "11-50", _("11–50 employees")
    MEDIUM = "51-200", _("51–200 employees")
    LARGE = "201-1000", _("201–1,000 employees")
    ENTERPRISE = "1000+", _("More than 1,000 employees")


# The editable profile of a partner company (status, program and tier have their own services).
PROFILE_FIELDS = (
    "description",
    "country",
    "city",
    "regions",
    "types",
    "verticals",
    "capabilities",
    "products_sold",
    "other_vendor_programs",
    "business_model",
    "company_size",
)

PROFILE_CHOICES = {"regions": Region, "types": PartnerType, "verticals": Vertical, "capabilities": Capability}


def profile_labels(field: str, values) -> list[str]:
    """Display names of a list field's coded values (`["msp"]` → `["Managed service provider"]`)."""
    names = dict(PROFILE_CHOICES[field].choices)
    return [str(names.get(value, value)) for value in values or ()]


def normalise_domain(website: str) -> str:
    """`https://www.Example.com/path` → `example.com`; '' when there is no host."""
    text = (website or "").strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = f"//{text}"
    host = (urlsplit(text).hostname or "").rstrip(".")
    return host.removeprefix("www.")
