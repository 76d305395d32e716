"""Every URL pattern is classified here, and every class is checked across tenants.

A new route fails `test_every_route_is_in_the_matrix` until it is added with the
check that proves tenant B's data cannot be reached from tenant A (or the
reason it holds no tenant data).
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver

from partners.models import AgreementAcceptance, BusinessPlan, BusinessPlanGoal, PartnerUser
from prm.accounts.roles import Role
from prm.api.models import ApiToken
from prm.audit.services import audit_record
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client
from tests.content.test_announcements_isolation import announcement_b_rows
from tests.content.test_library_isolation import library_b_rows
from tests.content.test_training_isolation import training_b_rows
from tests.factories import (
    MembershipFactory,
    PartnerApplicationFactory,
    PartnerFactory,
    ProgramFactory,
    issue_token,
    partner_member,
)
from tests.mdf.test_admin import mdf_b_rows

PUBLIC = "public"  # no tenant data beyond the host's own branding, or none at all
MEMBER = "member"  # portal page for signed-in members: a session from another host is ended
OBJECT = "object"  # takes the id of a tenant-owned row: another tenant's id is a 404
API_MEMBER = "api-member"  # API for members: another tenant's token or session is a 401
API_OBJECT = "api-object"  # API with an object id: another tenant's id is a 404
ADMIN = "admin"  # checked model by model in test_admin_routes_per_model

TENANT_ROUTES = {
    "": MEMBER,
    "settings/team/": MEMBER,
    "settings/team/<int:pk>/role": OBJECT,
    "settings/team/<int:pk>/<slug:action>": OBJECT,
    "settings/portal/": MEMBER,
    "settings/tokens/": MEMBER,
    "settings/tokens/<int:pk>/revoke": OBJECT,
    "brand/logo": PUBLIC,
    "api/v1/auth/token": PUBLIC,
    "api/v1/me": API_MEMBER,
    "api/v1/^auth/tokens/?$": API_MEMBER,
    "api/v1/^auth/tokens/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/schema/": PUBLIC,
    "api/docs/": PUBLIC,
    "i18n/setlang/": PUBLIC,
    "healthz": PUBLIC,
    # partners (onboarding); cross-tenant and cross-partner checks in tests/partners/test_onboard_isolation.py
    "agreement/": MEMBER,
    "onboarding/": MEMBER,
    "onboarding/partners/": MEMBER,
    "onboarding/partners/<int:pk>/": OBJECT,
    "onboarding/partners/<int:pk>/steps/<int:step_id>/<slug:action>": OBJECT,
    "api/v1/^programs/?$": API_MEMBER,
    "api/v1/^programs/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/agreements/<int:pk>/accept": API_OBJECT,
    "api/v1/partners/<int:pk>/onboarding": API_OBJECT,
    "api/v1/partners/<int:pk>/onboarding/steps/<int:step_id>/complete": API_OBJECT,
    "api/v1/partners/<int:pk>/onboarding/steps/<int:step_id>/undo": API_OBJECT,
}
# partners, recruitment: the public pages show the host's own public programs only.
TENANT_ROUTES |= {
    "join/": PUBLIC,
    "join/apply/": PUBLIC,
    "join/thanks/": PUBLIC,
    "applications/": MEMBER,
    "applications/<int:pk>/": OBJECT,
    "applications/<int:pk>/<slug:action>": OBJECT,
    "api/v1/^partner-applications/?$": API_MEMBER,
    "api/v1/^partner-applications/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^partner-applications/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^partner-applications/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
    "api/v1/^partner-applications/(?P<pk>[^/.]+)/request-info/?$": API_OBJECT,
    # partners: tiers
    "tier/": MEMBER,
    "tier-changes/": MEMBER,
    "tier-changes/<int:pk>/<slug:action>": OBJECT,
    "partners/<int:pk>/tier/": OBJECT,
    "partners/<int:pk>/tier/pin": OBJECT,
    "partners/<int:pk>/tier/unpin": OBJECT,
    "api/v1/partners/<int:pk>/tier-progress": API_OBJECT,
    "api/v1/partners/<int:pk>/tier-pin": API_OBJECT,
    "api/v1/^tiers/?$": API_MEMBER,
    "api/v1/^tiers/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^tier-changes/?$": API_MEMBER,
    "api/v1/^tier-changes/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^tier-changes/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^tier-changes/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
}
# partners: company area (profile, people, directory, coverage, business plans)
TENANT_ROUTES |= {
    "company/": MEMBER,
    "company/logo": MEMBER,
    "people/": MEMBER,
    "people/<int:pk>/role": OBJECT,
    "people/<int:pk>/<slug:action>": OBJECT,
    "partners/<int:pk>/logo": OBJECT,
    "partners/": MEMBER,
    "coverage/": MEMBER,
    "partners/<int:pk>/": OBJECT,
    "partners/<int:pk>/status/<slug:action>": OBJECT,
    "partners/<int:pk>/manager": OBJECT,
    "business-plan/": MEMBER,
    "partners/<int:pk>/plans/": OBJECT,
    "plans/<int:pk>/": OBJECT,
    "plans/<int:pk>/edit": OBJECT,
    "plans/<int:pk>/goals": OBJECT,
    "plans/<int:pk>/goals/<int:goal_pk>/remove": OBJECT,
    "plans/<int:pk>/qbr": OBJECT,
    "api/v1/^partners/?$": API_MEMBER,
    "api/v1/^partners/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^partners/(?P<pk>[^/.]+)/activate/?$": API_OBJECT,
    "api/v1/^partners/(?P<pk>[^/.]+)/offboard/?$": API_OBJECT,
    "api/v1/^partners/(?P<pk>[^/.]+)/reactivate/?$": API_OBJECT,
    "api/v1/^partners/(?P<pk>[^/.]+)/suspend/?$": API_OBJECT,
    "api/v1/^business-plans/?$": API_MEMBER,
    "api/v1/^business-plans/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^business-plans/(?P<pk>[^/.]+)/goals/?$": API_OBJECT,
    "api/v1/^business-plans/(?P<pk>[^/.]+)/qbr-notes/?$": API_OBJECT,
    "api/v1/^business-plans/(?P<pk>[^/.]+)/goals/(?P<metric>[a-z0-9_.-]+)/?$": API_OBJECT,
    "api/v1/partners/<int:partner_pk>/users/": API_OBJECT,
    "api/v1/partners/<int:partner_pk>/users/<int:user_id>/deactivate": API_OBJECT,
    "api/v1/partners/<int:partner_pk>/users/<int:user_id>/reactivate": API_OBJECT,
    "api/v1/partners/<int:partner_pk>/users/<int:user_id>/role": API_OBJECT,
}
# deals: protection (extensions, amendments) and the notifications inbox; checks in the PROTECT block below
TENANT_ROUTES |= {
    "deals/<int:pk>/extension/<slug:action>": OBJECT,
    "deals/<int:pk>/amend/": OBJECT,
    "api/v1/^deals/(?P<pk>[0-9]+)/request-extension/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[0-9]+)/extend/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[0-9]+)/extension-reject/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[0-9]+)/amend/?$": API_OBJECT,
    "notifications/": MEMBER,
    "notifications/<int:pk>/read": OBJECT,
    "notifications/read-all": MEMBER,
    "api/v1/^notifications/?$": API_MEMBER,
    "api/v1/^notifications/read-all/?$": API_MEMBER,
    "api/v1/^notifications/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^notifications/(?P<pk>[^/.]+)/read/?$": API_OBJECT,
}
# deals core: registrations (portal pages, API actions); checks in the "deals core" section below.
TENANT_ROUTES |= {
    "deals/": MEMBER,
    "deals/register/": MEMBER,
    "deals/<int:pk>/": OBJECT,
    "deals/<int:pk>/edit": OBJECT,
    "deals/<int:pk>/submit": OBJECT,
    "deals/<int:pk>/approve": OBJECT,
    "deals/<int:pk>/reject": OBJECT,
    "deals/<int:pk>/special-pricing": OBJECT,
    "deals/<int:pk>/close-won": OBJECT,
    "deals/<int:pk>/close-lost": OBJECT,
    "api/v1/^deals/?$": API_MEMBER,
    "api/v1/^deals/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/close-lost/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/close-won/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/special-pricing/?$": API_OBJECT,
    "api/v1/^deals/(?P<pk>[^/.]+)/submit/?$": API_OBJECT,
}
# deals: sales (catalog, house accounts, sale records); checks in test_sales_routes_answer_404_for_another_tenants_rows
TENANT_ROUTES |= {
    "sales/": MEMBER,
    "our-sales/": MEMBER,
    "api/v1/^products/?$": API_MEMBER,
    "api/v1/^products/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^house-accounts/?$": API_MEMBER,
    "api/v1/^house-accounts/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^sales/?$": API_MEMBER,
    "api/v1/^sales/(?P<pk>[^/.]+)/?$": API_OBJECT,
}
# deals: leads (cross-tenant checks below in "deals: leads"; cross-partner in tests/deals/test_leads_*.py)
TENANT_ROUTES |= {
    "leads/": MEMBER,
    "leads/new": MEMBER,
    "leads/inbox/": MEMBER,
    "leads/<int:pk>/": OBJECT,
    "leads/<int:pk>/assign": OBJECT,
    "leads/<int:pk>/accept": OBJECT,
    "leads/<int:pk>/reject": OBJECT,
    "leads/<int:pk>/first-action": OBJECT,
    "leads/<int:pk>/convert": OBJECT,
    "api/v1/^leads/?$": API_MEMBER,
    "api/v1/^leads/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^leads/(?P<pk>[^/.]+)/accept/?$": API_OBJECT,
    "api/v1/^leads/(?P<pk>[^/.]+)/assign/?$": API_OBJECT,
    "api/v1/^leads/(?P<pk>[^/.]+)/candidates/?$": API_OBJECT,
    "api/v1/^leads/(?P<pk>[^/.]+)/convert/?$": API_OBJECT,
    "api/v1/^leads/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
}
# incentives: logged activities; checks in test_incentive_activities_of_another_tenant_are_404
TENANT_ROUTES |= {
    "api/v1/^incentives/activities/?$": API_MEMBER,
    "api/v1/^incentives/activities/(?P<pk>[^/.]+)/?$": API_OBJECT,
}
# incentives: programs, rule versions, runs, opt-in; checks in "incentives: programs" below.
TENANT_ROUTES |= {
    "incentives/programs/": MEMBER,
    "incentives/programs/<int:pk>/opt-in": OBJECT,
    "incentives/programs/<int:pk>/run": OBJECT,
    "api/v1/^incentives/programs/?$": API_MEMBER,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/activate/?$": API_OBJECT,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/end/?$": API_OBJECT,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/opt-in/?$": API_OBJECT,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/rules/?$": API_OBJECT,
    "api/v1/^incentives/programs/(?P<pk>[^/.]+)/run/?$": API_OBJECT,
    "api/v1/^incentives/runs/?$": API_MEMBER,
    "api/v1/^incentives/runs/(?P<pk>[^/.]+)/?$": API_OBJECT,
}
# incentives: ledger, payouts, statements; checks in the "incentives: ledger" section below (cross-partner
# and rep-only visibility in tests/incentives/test_ledger_api.py and test_ledger_views.py).
TENANT_ROUTES |= {
    "incentives/": MEMBER,
    "incentives/statements/": MEMBER,
    "incentives/statements/<str:key>/": OBJECT,
    "incentives/payouts/": MEMBER,
    "incentives/payouts/export": MEMBER,
    "incentives/payouts/prepare": MEMBER,
    "incentives/payouts/<int:pk>/<slug:action>": OBJECT,
    "api/v1/^incentives/earnings/?$": API_MEMBER,
    "api/v1/^incentives/earnings/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^incentives/earnings/sale-clawback/?$": API_MEMBER,
    "api/v1/^incentives/earnings/(?P<pk>[^/.]+)/claw-back/?$": API_OBJECT,
    "api/v1/^incentives/payouts/?$": API_MEMBER,
    "api/v1/^incentives/payouts/export/?$": API_MEMBER,
    "api/v1/^incentives/payouts/approve/?$": API_MEMBER,
    "api/v1/^incentives/payouts/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^incentives/payouts/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^incentives/payouts/(?P<pk>[^/.]+)/cancel/?$": API_OBJECT,
    "api/v1/^incentives/payouts/(?P<pk>[^/.]+)/mark-paid/?$": API_OBJECT,
    "api/v1/^incentives/statements/?$": API_MEMBER,
    "api/v1/^incentives/statements/(?P<pk>[pu][0-9]+_[0-9A-Za-z-]*)/?$": API_OBJECT,
}
# incentives: points and rewards (cross-tenant checks below in "incentives: points and rewards"; cross-partner in
# tests/incentives/test_points_api.py and test_rewards_views.py)
TENANT_ROUTES |= {
    "rewards/": MEMBER,
    "rewards/<int:pk>/redeem": OBJECT,
    "redemptions/": MEMBER,
    "redemptions/<int:pk>/fulfil": OBJECT,
    "redemptions/<int:pk>/refuse": OBJECT,
    "api/v1/^points/?$": API_MEMBER,
    "api/v1/^rewards/?$": API_MEMBER,
    "api/v1/^rewards/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^redemptions/?$": API_MEMBER,
    "api/v1/^redemptions/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^redemptions/(?P<pk>[^/.]+)/fulfil/?$": API_OBJECT,
    "api/v1/^redemptions/(?P<pk>[^/.]+)/refuse/?$": API_OBJECT,
}
# incentives: leaderboards (checks in "incentives: leaderboards" below; cross-partner in tests/incentives)
TENANT_ROUTES |= {
    "leaderboards/": MEMBER,
    "leaderboards/publish": MEMBER,
    "leaderboard/": MEMBER,
    "api/v1/leaderboards/": API_MEMBER,
}
# mdf: portal (cross-tenant and cross-partner checks in tests/mdf/test_pages_isolation.py)
TENANT_ROUTES |= {
    "mdf/": MEMBER,
    "mdf/review/": MEMBER,
    "mdf/funds/": MEMBER,
    "mdf/funds/<int:pk>/": OBJECT,
    "mdf/requests/new": MEMBER,
    "mdf/requests/<int:pk>/": OBJECT,
    "mdf/requests/<int:pk>/edit": OBJECT,
    "mdf/requests/<int:pk>/submit": OBJECT,
    "mdf/requests/<int:pk>/claim": OBJECT,
    "mdf/requests/<int:pk>/<slug:decision>": OBJECT,
    "mdf/claims/<int:pk>/": OBJECT,
    "mdf/claims/<int:pk>/edit": OBJECT,
    "mdf/claims/<int:pk>/attachments": OBJECT,
    "mdf/claims/<int:pk>/submit": OBJECT,
    "mdf/claims/<int:pk>/<slug:decision>": OBJECT,
    "mdf/attachments/<int:pk>/download": OBJECT,
    "mdf/attachments/<int:pk>/remove": OBJECT,
}
# mdf: api (cross-tenant 404/401 and cross-partner checks for every route in tests/mdf/test_api_isolation.py)
TENANT_ROUTES |= {
    "api/v1/^mdf/funds/?$": API_MEMBER,
    "api/v1/^mdf/funds/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^mdf/funds/(?P<pk>[^/.]+)/move-budget/?$": API_OBJECT,
    "api/v1/^mdf/allocations/?$": API_MEMBER,
    "api/v1/^mdf/allocations/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^mdf/activity-types/?$": API_MEMBER,
    "api/v1/^mdf/activity-types/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^mdf/requests/?$": API_MEMBER,
    "api/v1/^mdf/requests/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^mdf/requests/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^mdf/requests/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
    "api/v1/^mdf/requests/(?P<pk>[^/.]+)/return/?$": API_OBJECT,
    "api/v1/^mdf/requests/(?P<pk>[^/.]+)/submit/?$": API_OBJECT,
    "api/v1/^mdf/claims/?$": API_MEMBER,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/approve/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/extend/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/reject/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/return/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<pk>[^/.]+)/submit/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<claim_pk>[0-9]+)/attachments/?$": API_OBJECT,
    "api/v1/^mdf/claims/(?P<claim_pk>[0-9]+)/attachments/(?P<pk>[0-9]+)/?$": API_OBJECT,
}
# mdf: roi (cross-tenant and cross-partner checks in tests/mdf/test_roi_api.py and tests/mdf/test_roi_page.py)
TENANT_ROUTES |= {
    "mdf/roi/": MEMBER,
    "api/v1/mdf/roi/": API_MEMBER,
}
# content: announcements (cross-tenant and cross-partner checks in tests/content/test_announcements_isolation.py)
TENANT_ROUTES |= {
    "announcements/": MEMBER,
    "announcements/new": MEMBER,
    "announcements/read-all": MEMBER,
    "announcements/<int:pk>/": OBJECT,
    "announcements/<int:pk>/edit": OBJECT,
    "announcements/<int:pk>/read": OBJECT,
    "announcements/<int:pk>/<slug:action>": OBJECT,
    "api/v1/^announcements/?$": API_MEMBER,
    "api/v1/^announcements/read-all/?$": API_MEMBER,
    "api/v1/^announcements/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^announcements/(?P<pk>[^/.]+)/publish/?$": API_OBJECT,
    "api/v1/^announcements/(?P<pk>[^/.]+)/read/?$": API_OBJECT,
    "api/v1/^announcements/(?P<pk>[^/.]+)/unpublish/?$": API_OBJECT,
}
# content: training (cross-tenant and cross-partner checks for pages, API, lesson files and certificates in
# tests/content/test_training_isolation.py)
TENANT_ROUTES |= {
    "training/": MEMBER,
    "training/overview/": MEMBER,
    "training/courses/<int:pk>/": OBJECT,
    "training/courses/<int:pk>/quiz/": OBJECT,
    "training/lessons/<int:pk>/done/": OBJECT,
    "training/lessons/<int:pk>/file/": OBJECT,
    "training/attempts/<int:pk>/": OBJECT,
    "training/certifications/": MEMBER,
    "training/certifications/<int:pk>/": OBJECT,
    "api/v1/^courses/?$": API_MEMBER,
    "api/v1/^courses/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^courses/(?P<pk>[^/.]+)/publish/?$": API_OBJECT,
    "api/v1/^courses/(?P<pk>[^/.]+)/unpublish/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/attempts/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/lessons/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/lessons/reorder/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/lessons/(?P<pk>[0-9]+)/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/questions/?$": API_OBJECT,
    "api/v1/^courses/(?P<course_pk>[0-9]+)/questions/(?P<pk>[0-9]+)/?$": API_OBJECT,
    "api/v1/^certifications/?$": API_MEMBER,
    "api/v1/^certifications/(?P<pk>[^/.]+)/?$": API_OBJECT,
}
# content: library (cross-tenant and cross-partner checks for pages, API, downloads and co-branded files in
# tests/content/test_library_isolation.py; a public file downloads without signing in, on its own host only)
TENANT_ROUTES |= {
    "content/": MEMBER,
    "content/search": MEMBER,
    "content/libraries/<int:pk>/": OBJECT,
    "content/assets/<int:pk>/": OBJECT,
    "content/assets/<int:pk>/download": OBJECT,
    "content/assets/<int:pk>/cobranded": OBJECT,
    "content/assets/<int:pk>/open": OBJECT,
    "content/assets/<int:pk>/launch": OBJECT,
    "content/assets/<int:pk>/<slug:action>": OBJECT,
    "api/v1/^content/libraries/?$": API_MEMBER,
    "api/v1/^content/libraries/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^content/libraries/(?P<pk>[^/.]+)/folders/?$": API_OBJECT,
    "api/v1/^content/assets/?$": API_MEMBER,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/?$": API_OBJECT,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/cobranded-download/?$": API_OBJECT,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/download/?$": API_OBJECT,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/publish/?$": API_OBJECT,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/unpublish/?$": API_OBJECT,
    "api/v1/^content/assets/(?P<pk>[^/.]+)/versions/?$": API_OBJECT,
}
# allauth: the entrance pages serve anonymous visitors; the rest manage the signed-in identity.
ALLAUTH_ROUTES = {
    "accounts/login/": PUBLIC,
    "accounts/logout/": PUBLIC,
    "accounts/inactive/": PUBLIC,
    "accounts/signup/": PUBLIC,
    "accounts/confirm-email/": PUBLIC,
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": PUBLIC,
    "accounts/password/reset/": PUBLIC,
    "accounts/password/reset/done/": PUBLIC,
    "accounts/password/reset/key/done/": PUBLIC,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": PUBLIC,
    "accounts/login/code/confirm/": PUBLIC,
    "accounts/2fa/authenticate/": PUBLIC,
    "accounts/reauthenticate/": MEMBER,
    "accounts/email/": MEMBER,
    "accounts/password/change/": MEMBER,
    "accounts/password/set/": MEMBER,
    "accounts/2fa/": MEMBER,
    "accounts/2fa/reauthenticate/": MEMBER,
    "accounts/2fa/totp/activate/": MEMBER,
    "accounts/2fa/totp/deactivate/": MEMBER,
    "accounts/2fa/recovery-codes/": MEMBER,
    "accounts/2fa/recovery-codes/generate/": MEMBER,
    "accounts/2fa/recovery-codes/download/": MEMBER,
}
PLATFORM_ROUTES = {"": PUBLIC, "i18n/setlang/": PUBLIC, "healthz": PUBLIC}


def routes(urlconf):
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver(urlconf).url_patterns))


def classify(route: str, table: dict) -> str | None:
    if route.startswith("admin/"):
        return ADMIN
    return {**table, **ALLAUTH_ROUTES}.get(route)


@pytest.mark.parametrize(("urlconf", "table"), [("prm.urls", TENANT_ROUTES), ("prm.urls_platform", PLATFORM_ROUTES)])
def test_every_route_is_in_the_matrix(urlconf, table):
    unclassified = [route for route in routes(urlconf) if classify(route, table) is None]
    assert unclassified == [], "Add these routes to the isolation matrix with a check"


@pytest.fixture
def world(tenant_a, tenant_b):
    a_admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    b_admin = MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN)
    b_token = issue_token(b_admin)
    with tenant_context(tenant_b):
        b_token_row = ApiToken.objects.get()
    return {"a_admin": a_admin, "b_admin": b_admin, "b_token": b_token, "b_token_row": b_token_row}


MEMBER_PATHS = ["/", "/settings/team/", "/settings/portal/", "/settings/tokens/"]
MEMBER_PATHS += ["/" + route for route, kind in ALLAUTH_ROUTES.items() if kind == MEMBER]
MEMBER_PATHS += [  # partners
    "/agreement/",
    "/onboarding/",
    "/onboarding/partners/",
    "/applications/",
    "/tier/",
    "/tier-changes/",
    "/company/",
    "/people/",
    "/partners/",
    "/coverage/",
    "/business-plan/",
]
MEMBER_PATHS += ["/notifications/", "/deals/", "/deals/register/", "/sales/", "/our-sales/"]  # deals
MEMBER_PATHS += ["/leads/", "/leads/new", "/leads/inbox/"]  # deals: leads
MEMBER_PATHS += ["/incentives/programs/"]  # incentives: programs
MEMBER_PATHS += [
    "/incentives/",
    "/incentives/statements/",
    "/incentives/payouts/",
    "/incentives/payouts/export",
    "/incentives/payouts/prepare",
]
MEMBER_PATHS += ["/rewards/", "/redemptions/"]  # incentives: points and rewards
MEMBER_PATHS += ["/leaderboards/", "/leaderboards/publish", "/leaderboard/"]  # incentives: leaderboards
MEMBER_PATHS += ["/announcements/", "/announcements/new"]  # content: announcements
MEMBER_PATHS += ["/training/", "/training/overview/", "/training/certifications/"]  # content: training
MEMBER_PATHS += ["/content/", "/content/search"]  # content: library


@pytest.mark.parametrize("path", MEMBER_PATHS)
def test_member_pages_refuse_a_session_from_another_tenant(world, tenant_a, tenant_b, path):
    client = portal_client(tenant_a, world["a_admin"].user)
    response = client.get(path, HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("method", "path_for"),
    [
        ("post", lambda w: f"/settings/team/{w['b_admin'].pk}/role"),
        ("post", lambda w: f"/settings/team/{w['b_admin'].pk}/deactivate"),
        ("post", lambda w: f"/settings/tokens/{w['b_token_row'].pk}/revoke"),
    ],
)
def test_object_routes_answer_404_for_another_tenants_rows(world, tenant_a, method, path_for):
    client = portal_client(tenant_a, world["a_admin"].user)
    assert getattr(client, method)(path_for(world), {"role": "vendor_staff"}).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/auth/tokens/", "/api/v1/partners/", "/api/v1/business-plans/"])
def test_api_refuses_another_tenants_token(world, tenant_a, path):
    response = portal_client(tenant_a).get(path, HTTP_AUTHORIZATION=f"Bearer {world['b_token']}")
    assert response.status_code == 401


def test_api_objects_of_another_tenant_are_404(world, tenant_a):
    token = issue_token(world["a_admin"])
    client = portal_client(tenant_a)
    for method in ("get", "delete"):
        response = getattr(client, method)(
            f"/api/v1/auth/tokens/{world['b_token_row'].pk}/", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 404


def test_public_branding_is_the_hosts_own(world, tenant_a, tenant_b):
    page = portal_client(tenant_b).get("/accounts/login/").content.decode()
    assert tenant_b.name in page and tenant_a.name not in page


def b_rows_by_admin_model(world, tenant_b):
    """One row of tenant B for every tenant-aware admin model."""
    with tenant_context(tenant_b):
        event = audit_record(action="isolation.check", obj=world["b_admin"])
    company = company_b_rows(tenant_b)
    return {
        "tenancy.tenant": tenant_b,
        "accounts.membership": world["b_admin"],
        "api.apitoken": world["b_token_row"],
        "audit.auditevent": event,
        "partners.partnerapplication": PartnerApplicationFactory(program__tenant=tenant_b),
        "partners.partner": company["partner"],
        "partners.businessplan": company["plan"],
        **_onboard_b_rows(tenant_b),
        **protect_b_rows(tenant_b),
        **deals_core_b_rows(tenant_b),
        **sales_b_rows(tenant_b),
        "deals.lead": lead_b_rows(tenant_b)["lead"],
        "incentives.activityevent": activity_b_rows(tenant_b)["activity"],
        **incentive_programs_b_rows(tenant_b),
        **{label: row for label, row in ledger_b_rows(tenant_b).items() if label.startswith("incentives.")},
        **{label: row for label, row in points_b_rows(tenant_b).items() if label.startswith("incentives.")},
        # mdf: admin (decision pages and proof downloads checked in tests/mdf/test_admin.py)
        **{label: row for label, row in mdf_b_rows(tenant_b).items() if label.startswith("mdf.")},
        # content: announcements (pages and API checked in tests/content/test_announcements_isolation.py)
        **{label: row for label, row in announcement_b_rows(tenant_b).items() if label.startswith("content.")},
        # content: training (pages, API and lesson files checked in tests/content/test_training_isolation.py)
        **{label: row for label, row in training_b_rows(tenant_b).items() if label.startswith("content.")},
        # content: library (the admin's version downloads checked in tests/content/test_library_isolation.py)
        **library_b_rows(tenant_b),
    }


def _onboard_b_rows(tenant_b) -> dict:
    """partners (onboarding): a program, a published agreement and an acceptance of tenant B."""
    from tests.factories import AgreementFactory

    agreement = AgreementFactory(program__tenant=tenant_b)
    partner = PartnerFactory(program=agreement.program)
    admin = partner_member(partner)
    with tenant_context(tenant_b):
        acceptance = AgreementAcceptance.objects.create(agreement=agreement, partner=partner, user=admin.user)
    return {
        "partners.program": agreement.program,
        "partners.agreement": agreement,
        "partners.agreementacceptance": acceptance,
        **b_tier_rows(tenant_b),
    }


# --- partners: tiers ----------------------------------------------------------------------------------


def b_tier_rows(tenant_b) -> dict:
    from partners.models import TierChange, TierEvaluationRun
    from tests.factories import PartnerFactory, TierFactory

    tier = TierFactory(program__tenant=tenant_b, rank=0)
    partner = PartnerFactory(program=tier.program, tier=tier)
    with tenant_context(tenant_b):
        change = TierChange.objects.create(
            partner=partner, to_tier=tier, kind="promotion", status="pending", reason="isolation"
        )
        run = TierEvaluationRun.objects.create(run_on="2026-01-01")
    return {"partners.tier": tier, "partners.tierchange": change, "partners.tierevaluationrun": run}


def test_tier_routes_answer_404_for_another_tenants_rows(world, tenant_a, tenant_b):
    rows = b_tier_rows(tenant_b)
    tier, change = rows["partners.tier"], rows["partners.tierchange"]
    partner_id = change.partner_id
    client = portal_client(tenant_a, world["a_admin"].user)
    pin = {"tier": tier.pk, "until": "2099-01-01", "reason": "x"}
    assert client.get(f"/partners/{partner_id}/tier/").status_code == 404
    assert client.post(f"/partners/{partner_id}/tier/pin", pin).status_code == 404
    assert client.post(f"/partners/{partner_id}/tier/unpin").status_code == 404
    for action in ("approve", "reject"):
        assert client.post(f"/tier-changes/{change.pk}/{action}").status_code == 404
    token = issue_token(world["a_admin"])
    api = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert api.get(f"/api/v1/partners/{partner_id}/tier-progress", **auth).status_code == 404
    assert api.post(f"/api/v1/partners/{partner_id}/tier-pin", pin, **auth).status_code == 404
    assert api.delete(f"/api/v1/partners/{partner_id}/tier-pin", **auth).status_code == 404
    assert api.get(f"/api/v1/tiers/{tier.pk}/", **auth).status_code == 404
    assert api.patch(f"/api/v1/tiers/{tier.pk}/", {}, content_type="application/json", **auth).status_code == 404
    assert api.get(f"/api/v1/tier-changes/{change.pk}/", **auth).status_code == 404
    for action in ("approve", "reject"):
        assert api.post(f"/api/v1/tier-changes/{change.pk}/{action}/", **auth).status_code == 404
    for path in ("/api/v1/tiers/", "/api/v1/tier-changes/"):
        assert api.get(path, **auth).json()["count"] == 0
        assert api.get(path, HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    with tenant_context(tenant_b):
        change.refresh_from_db()
        assert change.status == "pending"


def test_admin_routes_per_model(world, tenant_a, tenant_b):
    rows = b_rows_by_admin_model(world, tenant_b)
    client = portal_client(tenant_a, world["a_admin"].user)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if not getattr(model_admin, "tenant_aware", False):
            assert client.get(base).status_code == 403, f"{label} must be platform-only"
            continue
        assert label in rows, f"add a tenant-B row for {label} to the isolation matrix"
        row = rows[label]
        assert str(row.pk) not in _changelist_ids(client.get(base)), label
        for suffix in ("change/", "history/", "delete/"):
            response = client.get(f"{base}{row.pk}/{suffix}")
            assert response.status_code in (302, 403, 404), (label, suffix)
            if response.status_code == 302:
                assert response.url == "/admin/", (label, suffix)
        content_type = ContentType.objects.get_for_model(model)
        assert client.get(f"/admin/r/{content_type.pk}/{row.pk}/").status_code == 404


def _changelist_ids(response) -> set[str]:
    import re

    return set(re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode()))


def test_platform_admin_refuses_tenant_members(world):
    client = portal_client(None, world["a_admin"].user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response.url


# --- partners: recruitment ------------------------------------------------------------------------------------
@pytest.fixture
def b_application(tenant_b):
    return PartnerApplicationFactory(program__tenant=tenant_b, program__name="Globex Resellers")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/applications/{pk}/"),
        ("post", "/applications/{pk}/approve"),
        ("post", "/applications/{pk}/reject"),
        ("post", "/applications/{pk}/request-info"),
    ],
)
def test_application_pages_answer_404_for_another_tenants_rows(world, tenant_a, b_application, method, path):
    client = portal_client(tenant_a, world["a_admin"].user)
    response = getattr(client, method)(path.format(pk=b_application.pk), {"reason": "x", "message": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/partner-applications/{pk}/"),
        ("post", "/api/v1/partner-applications/{pk}/approve/"),
        ("post", "/api/v1/partner-applications/{pk}/reject/"),
        ("post", "/api/v1/partner-applications/{pk}/request-info/"),
    ],
)
def test_api_applications_of_another_tenant_are_404(world, tenant_a, b_application, method, path):
    token = issue_token(world["a_admin"])
    response = getattr(portal_client(tenant_a), method)(
        path.format(pk=b_application.pk), {"reason": "x", "message": "x"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404


def test_api_application_list_refuses_another_tenants_token(world, tenant_a):
    response = portal_client(tenant_a).get(
        "/api/v1/partner-applications/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}"
    )
    assert response.status_code == 401


def test_public_join_page_shows_the_hosts_own_programs(tenant_a, b_application):
    ProgramFactory(tenant=tenant_a, name="Acme Resellers")
    page = portal_client(tenant_a).get("/join/").content.decode()
    assert "Acme Resellers" in page and "Globex Resellers" not in page


# --- partners: company area ------------------------------------------------------------------------
def company_b_rows(tenant_b) -> dict:
    """Tenant B's partner with a person, a logo, a plan and a goal."""
    partner = PartnerFactory(program__tenant=tenant_b, logo="partners/b/logo-b")
    person = partner_member(partner, role=Role.PARTNER_REP)
    with tenant_context(tenant_b):
        plan = BusinessPlan.objects.create(
            partner=partner, title="B plan", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
        )
        goal = BusinessPlanGoal.objects.create(plan=plan, metric="isolation_metric", target=1)
        link = PartnerUser.objects.get(membership=person)
    return {"partner": partner, "person": person, "link": link, "plan": plan, "goal": goal}


COMPANY_VENDOR_PATHS = [
    ("get", "/partners/{partner}/"),
    ("get", "/partners/{partner}/logo"),
    ("post", "/partners/{partner}/status/suspend"),
    ("post", "/partners/{partner}/manager"),
    ("get", "/partners/{partner}/plans/"),
    ("get", "/plans/{plan}/"),
    ("post", "/plans/{plan}/edit"),
    ("post", "/plans/{plan}/goals"),
    ("post", "/plans/{plan}/goals/{goal}/remove"),
    ("post", "/plans/{plan}/qbr"),
]
COMPANY_PARTNER_PATHS = [("post", "/people/{link}/role"), ("post", "/people/{link}/deactivate")]
COMPANY_API_PATHS = [
    ("get", "/api/v1/partners/{partner}/"),
    ("patch", "/api/v1/partners/{partner}/"),
    ("post", "/api/v1/partners/{partner}/activate/"),
    ("post", "/api/v1/partners/{partner}/suspend/"),
    ("post", "/api/v1/partners/{partner}/reactivate/"),
    ("post", "/api/v1/partners/{partner}/offboard/"),
    ("get", "/api/v1/partners/{partner}/users/"),
    ("post", "/api/v1/partners/{partner}/users/"),
    ("post", "/api/v1/partners/{partner}/users/{user}/deactivate"),
    ("post", "/api/v1/partners/{partner}/users/{user}/reactivate"),
    ("post", "/api/v1/partners/{partner}/users/{user}/role"),
    ("get", "/api/v1/business-plans/{plan}/"),
    ("patch", "/api/v1/business-plans/{plan}/"),
    ("post", "/api/v1/business-plans/{plan}/goals/"),
    ("post", "/api/v1/business-plans/{plan}/qbr-notes/"),
    ("delete", "/api/v1/business-plans/{plan}/goals/isolation_metric/"),
]


def _company_ids(rows) -> dict:
    return {
        "partner": rows["partner"].pk,
        "plan": rows["plan"].pk,
        "goal": rows["goal"].pk,
        "link": rows["link"].pk,
        "user": rows["person"].user_id,
    }


@pytest.fixture
def company_world(world, tenant_a, tenant_b):
    a_partner = PartnerFactory(program__tenant=tenant_a)
    return {"b": _company_ids(company_b_rows(tenant_b)), "a_partner_admin": partner_member(a_partner)}


@pytest.mark.parametrize(("method", "path"), COMPANY_VENDOR_PATHS)
def test_company_pages_answer_404_for_another_tenants_rows(world, company_world, tenant_a, method, path):
    client = portal_client(tenant_a, world["a_admin"].user)
    data = {"reason": "x", "title": "t", "metric": "x", "target": "1", "held_on": "2025-01-01", "notes": "n"}
    assert getattr(client, method)(path.format(**company_world["b"]), data).status_code == 404


@pytest.mark.parametrize(("method", "path"), COMPANY_PARTNER_PATHS)
def test_partner_people_routes_answer_404_for_another_tenants_rows(company_world, tenant_a, method, path):
    client = portal_client(tenant_a, company_world["a_partner_admin"].user)
    assert getattr(client, method)(path.format(**company_world["b"]), {"role": "partner_rep"}).status_code == 404


@pytest.mark.parametrize(("method", "path"), COMPANY_API_PATHS)
def test_company_api_objects_of_another_tenant_are_404(world, company_world, tenant_a, method, path):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    body = {"reason": "x", "email": "x@example.com", "role": "partner_rep", "metric": "x", "target": "1"}
    client = portal_client(tenant_a)
    response = getattr(client, method)(path.format(**company_world["b"]), body, content_type="application/json", **auth)
    assert response.status_code == 404


# --- deals: protection and notifications (PROTECT) ----------------------------------------------------------
def protect_b_rows(tenant_b) -> dict:
    """Tenant B's approved deal with a pending extension request, and a notification of its partner admin."""
    from datetime import timedelta

    from django.utils import timezone

    from deals.models import ExtensionRequest
    from prm.notifications.models import Notification
    from tests.factories import DealFactory

    deal = DealFactory(
        partner__program__tenant=tenant_b, status="approved", protected_until=timezone.localdate() + timedelta(9)
    )
    admin_b = partner_member(deal.partner)
    with tenant_context(tenant_b):
        extension = ExtensionRequest.objects.create(deal=deal, requested_by=admin_b.user, reason="B needs time")
        notification = Notification.objects.create(user=admin_b.user, title="B news")
    return {"deals.extensionrequest": extension, "deal": deal, "notification": notification}


PROTECT_PORTAL_PATHS = [
    ("post", "/deals/{deal}/extension/request"),
    ("post", "/deals/{deal}/extension/approve"),
    ("post", "/deals/{deal}/extension/reject"),
    ("get", "/deals/{deal}/amend/"),
    ("post", "/deals/{deal}/amend/"),
    ("post", "/notifications/{notification}/read"),
]
PROTECT_API_PATHS = [
    ("post", "/api/v1/deals/{deal}/request-extension"),
    ("post", "/api/v1/deals/{deal}/extend"),
    ("post", "/api/v1/deals/{deal}/extension-reject"),
    ("patch", "/api/v1/deals/{deal}/amend"),
    ("get", "/api/v1/notifications/{notification}/"),
    ("post", "/api/v1/notifications/{notification}/read"),
]


@pytest.fixture
def protect_b(tenant_b):
    rows = protect_b_rows(tenant_b)
    return {"deal": rows["deal"].pk, "notification": rows["notification"].pk, "rows": rows}


@pytest.mark.parametrize(("method", "path"), PROTECT_PORTAL_PATHS)
def test_protect_pages_answer_404_for_another_tenants_rows(world, tenant_a, tenant_b, protect_b, method, path):
    client = portal_client(tenant_a, world["a_admin"].user)
    data = {"reason": "x", "note": "x", "notes": "x", "estimated_value": "1"}
    assert getattr(client, method)(path.format(**protect_b), data).status_code == 404
    extension = protect_b["rows"]["deals.extensionrequest"]
    with tenant_context(tenant_b):
        extension.refresh_from_db()
        assert extension.status == "pending"


@pytest.mark.parametrize(("method", "path"), PROTECT_API_PATHS)
def test_protect_api_objects_of_another_tenant_are_404(world, tenant_a, protect_b, method, path):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    body = {"reason": "x", "notes": "x"}
    response = getattr(portal_client(tenant_a), method)(
        path.format(**protect_b), body, content_type="application/json", **auth
    )
    assert response.status_code == 404


def test_protect_lists_hold_nothing_of_another_tenant(world, tenant_a, protect_b):
    client = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    assert client.get("/api/v1/notifications/", **auth).json()["count"] == 0
    assert client.post("/api/v1/notifications/read-all", **auth).json() == {"marked": 0}
    assert client.get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    page = portal_client(tenant_a, world["a_admin"].user).get("/notifications/").content.decode()
    assert "B news" not in page


# --- deals core: registrations ------------------------------------------------------------------------
def deals_core_b_rows(tenant_b) -> dict:
    """Tenant B's registration (with a line and a conflict) and its program's rules of engagement."""
    from deals.models import DealConflict, DealRules
    from tests.factories import DealFactory, ProductFactory

    deal = DealFactory(partner__program__tenant=tenant_b, customer_name="Globex Secret Customer")
    rival = DealFactory(partner__program=deal.partner.program, customer_domain=deal.customer_domain)
    product = ProductFactory(tenant=tenant_b)
    with tenant_context(tenant_b):
        deal.lines.create(product=product, quantity=1, unit_list_price=1)
        DealConflict.objects.create(deal=deal, other_deal=rival, matched_on="domain", score=1)
        rules = DealRules.objects.create(program=deal.partner.program)
    return {"deals.deal": deal, "deals.dealrules": rules}


DEAL_PORTAL_PATHS = [
    ("get", "/deals/{pk}/"),
    ("get", "/deals/{pk}/edit"),
    ("post", "/deals/{pk}/submit"),
    ("post", "/deals/{pk}/approve"),
    ("post", "/deals/{pk}/reject"),
    ("post", "/deals/{pk}/special-pricing"),
    ("post", "/deals/{pk}/close-won"),
    ("post", "/deals/{pk}/close-lost"),
]
DEAL_API_PATHS = [
    ("get", "/api/v1/deals/{pk}/"),
    ("patch", "/api/v1/deals/{pk}/"),
    ("post", "/api/v1/deals/{pk}/submit"),
    ("post", "/api/v1/deals/{pk}/approve"),
    ("post", "/api/v1/deals/{pk}/reject"),
    ("post", "/api/v1/deals/{pk}/special-pricing"),
    ("post", "/api/v1/deals/{pk}/close-won/"),
    ("post", "/api/v1/deals/{pk}/close-lost/"),
]
DEAL_INPUT = {"reason": "x", "percent": "1", "amount": "1.00", "note": "", "notes": "x"}


@pytest.fixture
def deals_world(world, tenant_a, tenant_b):
    """Tenant B's registration and, in tenant A, a partner admin."""
    from tests.factories import PartnerFactory

    b_deal = deals_core_b_rows(tenant_b)["deals.deal"]
    a_partner = PartnerFactory(program__tenant=tenant_a)
    return {
        "b_deal": b_deal,
        "a_partner_admin": partner_member(a_partner),
    }


@pytest.mark.parametrize(("method", "path"), DEAL_PORTAL_PATHS)
def test_deal_pages_answer_404_for_another_tenants_rows(world, deals_world, tenant_a, tenant_b, method, path):
    path = path.format(pk=deals_world["b_deal"].pk)
    codes = [
        getattr(portal_client(tenant_a, member.user), method)(path, DEAL_INPUT).status_code
        for member in (world["a_admin"], deals_world["a_partner_admin"])
    ]
    # The role that may take the action gets 404; the other is refused by role (403) before any lookup.
    assert 404 in codes and set(codes) <= {403, 404}, codes
    with tenant_context(tenant_b):
        assert type(deals_world["b_deal"]).objects.get(pk=deals_world["b_deal"].pk).status == "submitted"


@pytest.mark.parametrize(("method", "path"), DEAL_API_PATHS)
def test_deal_api_objects_of_another_tenant_are_404(world, deals_world, tenant_a, method, path):
    for member in (world["a_admin"], deals_world["a_partner_admin"]):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(member)}"}
        response = getattr(portal_client(tenant_a), method)(
            path.format(pk=deals_world["b_deal"].pk), DEAL_INPUT, content_type="application/json", **auth
        )
        assert response.status_code == 404, (member.role, path)


def test_deal_lists_hold_only_the_hosts_rows(world, deals_world, tenant_a):
    admin = portal_client(tenant_a, world["a_admin"].user)
    assert "Globex Secret Customer" not in admin.get("/deals/").content.decode()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    assert portal_client(tenant_a).get("/api/v1/deals/", **auth).json()["count"] == 0
    response = portal_client(tenant_a).get("/api/v1/deals/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}")
    assert response.status_code == 401


# --- deals: sales ---------------------------------------------------------------------------------------
def sales_b_rows(tenant_b) -> dict:
    """Tenant B's product, house account and sale record."""
    from tests.factories import HouseAccountFactory, ProductFactory, SaleRecordFactory

    return {
        "deals.product": ProductFactory(tenant=tenant_b),
        "deals.houseaccount": HouseAccountFactory(tenant=tenant_b),
        "deals.salerecord": SaleRecordFactory(partner__program__tenant=tenant_b),
    }


def test_sales_routes_answer_404_for_another_tenants_rows(world, tenant_a, tenant_b):
    rows = sales_b_rows(tenant_b)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    api = portal_client(tenant_a)
    for path, row in (
        ("products", rows["deals.product"]),
        ("house-accounts", rows["deals.houseaccount"]),
        ("sales", rows["deals.salerecord"]),
    ):
        assert api.get(f"/api/v1/{path}/{row.pk}/", **auth).status_code == 404
        assert api.get(f"/api/v1/{path}/", **auth).json()["count"] == 0
        assert api.get(f"/api/v1/{path}/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    for path, row in (("products", rows["deals.product"]), ("house-accounts", rows["deals.houseaccount"])):
        response = api.patch(f"/api/v1/{path}/{row.pk}/", {"notes": "x"}, content_type="application/json", **auth)
        assert response.status_code == 404
    page = portal_client(tenant_a, world["a_admin"].user).get("/sales/")
    assert rows["deals.salerecord"].external_id not in page.content.decode()


# --- deals: leads -----------------------------------------------------------------------------------
def lead_b_rows(tenant_b) -> dict:
    """Tenant B's lead, assigned to tenant B's partner (with a partner admin)."""
    from deals.services import lead_assign
    from tests.factories import LeadFactory

    partner = PartnerFactory(program__tenant=tenant_b, country="DE")
    admin = partner_member(partner)
    lead = LeadFactory(tenant=tenant_b, company_name="Globex Prospect")
    with tenant_context(tenant_b):
        lead_assign(lead=lead, partner=partner, actor=None)
    return {"lead": lead, "partner": partner, "admin": admin}


VENDOR, PARTNER = "a_admin", "a_partner_admin"  # who may use the route (the other side is refused by role)
LEAD_PAGES = [
    ("get", "/leads/{pk}/", (VENDOR, PARTNER)),
    ("post", "/leads/{pk}/assign", (VENDOR,)),
    ("post", "/leads/{pk}/accept", (PARTNER,)),
    ("post", "/leads/{pk}/reject", (PARTNER,)),
    ("post", "/leads/{pk}/first-action", (PARTNER,)),
    ("get", "/leads/{pk}/convert", (PARTNER,)),
    ("post", "/leads/{pk}/convert", (PARTNER,)),
]
LEAD_API = [
    ("get", "/api/v1/leads/{pk}/", (VENDOR, PARTNER)),
    ("get", "/api/v1/leads/{pk}/candidates", (VENDOR,)),
    ("post", "/api/v1/leads/{pk}/assign", (VENDOR,)),
    ("post", "/api/v1/leads/{pk}/accept", (PARTNER,)),
    ("post", "/api/v1/leads/{pk}/reject", (PARTNER,)),
    ("post", "/api/v1/leads/{pk}/convert", (PARTNER,)),
]


@pytest.fixture
def lead_world(world, tenant_a, tenant_b):
    a_partner = PartnerFactory(program__tenant=tenant_a, country="DE")
    return {"b": lead_b_rows(tenant_b), VENDOR: world["a_admin"], PARTNER: partner_member(a_partner)}


def _lead_unchanged(tenant_b, rows) -> bool:
    with tenant_context(tenant_b):
        lead = type(rows["lead"]).objects.get(pk=rows["lead"].pk)
    return (lead.status, lead.partner_id) == ("assigned", rows["partner"].pk)


@pytest.mark.parametrize(("method", "path", "sides"), LEAD_PAGES)
def test_lead_pages_answer_404_for_another_tenants_rows(lead_world, tenant_a, tenant_b, method, path, sides):
    data = {"best": "1", "reason": "x", "note": "x", "expected_close_date": "2027-01-31"}
    for side in sides:
        client = portal_client(tenant_a, lead_world[side].user)
        assert getattr(client, method)(path.format(pk=lead_world["b"]["lead"].pk), data).status_code == 404, side
    assert _lead_unchanged(tenant_b, lead_world["b"])


@pytest.mark.parametrize(("method", "path", "sides"), LEAD_API)
def test_lead_api_objects_of_another_tenant_are_404(lead_world, tenant_a, tenant_b, method, path, sides):
    body = {"best": True, "reason": "x", "expected_close_date": "2027-01-31"}
    url = path.format(pk=lead_world["b"]["lead"].pk)
    for side in sides:
        client = portal_client(tenant_a)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(lead_world[side])}"}
        if method == "get":
            response = client.get(url, **auth)
        else:
            response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code == 404, side
    assert _lead_unchanged(tenant_b, lead_world["b"])


def test_lead_lists_show_only_the_hosts_leads(world, lead_world, tenant_a):
    api = portal_client(tenant_a)
    token = issue_token(world["a_admin"])
    assert api.get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {token}").json()["count"] == 0
    assert api.get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    assert "Globex Prospect" not in portal_client(tenant_a, world["a_admin"].user).get("/leads/").content.decode()
    inbox = portal_client(tenant_a, lead_world[PARTNER].user).get("/leads/inbox/").content.decode()
    assert "Globex Prospect" not in inbox


# --- incentives: logged activities ---------------------------------------------------------------
def activity_b_rows(tenant_b) -> dict:
    """Tenant B's partner, its rep and a demo the rep logged."""
    from incentives.models import ActivityEvent

    partner = PartnerFactory(program__tenant=tenant_b)
    rep = partner_member(partner, Role.PARTNER_REP)
    with tenant_context(tenant_b):
        activity = ActivityEvent.objects.create(
            kind="demo_logged",
            user=rep.user,
            partner=partner,
            occurred_on=date(2026, 2, 1),
            reference="globex-demo",
        )
    return {"activity": activity, "partner": partner, "rep": rep}


def test_incentive_activities_of_another_tenant_are_404(world, tenant_a, tenant_b):
    from incentives.models import ActivityEvent

    b = activity_b_rows(tenant_b)
    a = activity_b_rows(tenant_a)  # the same rows in tenant A: the list shows exactly these
    api = portal_client(tenant_a)
    for membership in (world["a_admin"], a["rep"]):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}
        assert api.get(f"/api/v1/incentives/activities/{b['activity'].pk}/", **auth).status_code == 404
        listed = api.get("/api/v1/incentives/activities/", **auth).json()
        assert [row["id"] for row in listed["results"]] == [a["activity"].pk]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    body = {
        "kind": "webinar_attended",
        "user": b["rep"].user_id,
        "partner": b["partner"].pk,
        "occurred_on": date(2026, 2, 2).isoformat(),
        "reference": "cross-tenant",
    }
    response = api.post("/api/v1/incentives/activities/", body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert api.get("/api/v1/incentives/activities/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    with tenant_context(tenant_b):
        assert list(ActivityEvent.objects.values_list("reference", flat=True)) == ["globex-demo"]


# --- incentives: programs -------------------------------------------------------------------------------
def incentive_programs_b_rows(tenant_b) -> dict:
    """Tenant B's active opt-in program with a run and an enrollment, and its incentive settings."""
    from incentives.services import enrollment_accept, run_request
    from incentives.services.schedule import incentive_settings
    from tests.incentives.factories import incentive_program

    partner = PartnerFactory(program__tenant=tenant_b)
    admin_b = partner_member(partner)
    program = incentive_program(tenant_b, name="Globex Secret Rebate", requires_opt_in=True, terms="B terms")
    with tenant_context(tenant_b):
        run = run_request(program=program, period_key="2026-Q1", kind="manual")
        enrollment = enrollment_accept(program=program, partner=partner, actor=admin_b.user)
        settings = incentive_settings()
    return {
        "incentives.incentiveprogram": program,
        "incentives.run": run,
        "incentives.enrollment": enrollment,
        "incentives.incentivesettings": settings,
    }


INCENTIVE_PROGRAM_API = [
    ("get", "/api/v1/incentives/programs/{program}/", (VENDOR, PARTNER)),
    ("patch", "/api/v1/incentives/programs/{program}/", (VENDOR,)),
    ("post", "/api/v1/incentives/programs/{program}/activate", (VENDOR,)),
    ("post", "/api/v1/incentives/programs/{program}/end", (VENDOR,)),
    ("get", "/api/v1/incentives/programs/{program}/rules/", (VENDOR, PARTNER)),
    ("post", "/api/v1/incentives/programs/{program}/rules/", (VENDOR,)),
    ("post", "/api/v1/incentives/programs/{program}/run?period=2026-Q2", (VENDOR,)),
    ("post", "/api/v1/incentives/programs/{program}/opt-in", (PARTNER,)),
    ("get", "/api/v1/incentives/runs/{run}/", (VENDOR,)),
]
INCENTIVE_PROGRAM_PAGES = [
    ("post", "/incentives/programs/{program}/run", (VENDOR,)),
    ("post", "/incentives/programs/{program}/opt-in", (PARTNER,)),
]


@pytest.fixture
def incentives_world(world, tenant_a, tenant_b):
    from tests.incentives.factories import incentive_program

    a_partner = PartnerFactory(program__tenant=tenant_a)
    a_program = incentive_program(tenant_a, name="Acme Rebate", requires_opt_in=True)
    rows = incentive_programs_b_rows(tenant_b)
    ids = {"program": rows["incentives.incentiveprogram"].pk, "run": rows["incentives.run"].pk}
    return {"b": rows, "ids": ids, "a_program": a_program, VENDOR: world["a_admin"], PARTNER: partner_member(a_partner)}


def _b_incentives_unchanged(tenant_b, rows) -> bool:
    from incentives.models import Enrollment, IncentiveProgram, RuleVersion, Run

    with tenant_context(tenant_b):
        program = IncentiveProgram.objects.get(pk=rows["incentives.incentiveprogram"].pk)
        return (
            program.status == "active"
            and program.summary == ""
            and Run.objects.count() == 1
            and Enrollment.objects.count() == 1
            and RuleVersion.objects.count() == 1
        )


@pytest.mark.parametrize(("method", "path", "sides"), INCENTIVE_PROGRAM_API)
def test_incentive_program_api_objects_of_another_tenant_are_404(
    incentives_world, tenant_a, tenant_b, method, path, sides
):
    body = {"summary": "x", "params": {"bands": [{"from": "0", "rate": "1"}]}, "effective_from": "2027-01-01"}
    url = path.format(**incentives_world["ids"])
    for side in sides:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(incentives_world[side])}"}
        client = portal_client(tenant_a)
        if method == "get":
            response = client.get(url, **auth)
        else:
            response = getattr(client, method)(url, body, content_type="application/json", **auth)
        assert response.status_code == 404, (side, response.content)
    assert _b_incentives_unchanged(tenant_b, incentives_world["b"])


@pytest.mark.parametrize(("method", "path", "sides"), INCENTIVE_PROGRAM_PAGES)
def test_incentive_program_pages_answer_404_for_another_tenants_rows(
    incentives_world, tenant_a, tenant_b, method, path, sides
):
    for side in sides:
        client = portal_client(tenant_a, incentives_world[side].user)
        response = getattr(client, method)(path.format(**incentives_world["ids"]), {"period": "2026-Q2"})
        assert response.status_code == 404, side
    assert _b_incentives_unchanged(tenant_b, incentives_world["b"])


def test_incentive_lists_show_only_the_hosts_programs_and_runs(world, incentives_world, tenant_a):
    api = portal_client(tenant_a)
    for side in (VENDOR, PARTNER):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(incentives_world[side])}"}
        listed = api.get("/api/v1/incentives/programs/", **auth).json()
        assert [row["name"] for row in listed["results"]] == ["Acme Rebate"], side
        page = portal_client(tenant_a, incentives_world[side].user).get("/incentives/programs/").content.decode()
        assert "Acme Rebate" in page and "Globex Secret Rebate" not in page, side
    vendor = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    assert api.get("/api/v1/incentives/runs/", **vendor).json()["count"] == 0
    for path in ("/api/v1/incentives/programs/", "/api/v1/incentives/runs/"):
        assert api.get(path, HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401


# --- incentives: ledger, payouts, statements ------------------------------------------------------------
def ledger_b_rows(tenant_b) -> dict:
    """Tenant B's partner with a company line, a rep's line, and a proposed payout of the company line."""
    from decimal import Decimal

    from incentives.selectors import statement_key
    from incentives.services import payouts_prepare
    from tests.factories import SaleRecordFactory
    from tests.incentives.factories import IncentiveProgramFactory, LedgerEntryFactory

    partner = PartnerFactory(program__tenant=tenant_b, name="Globex Partner")
    sale = SaleRecordFactory(partner=partner)
    rep = partner_member(partner, role=Role.PARTNER_REP)
    program = IncentiveProgramFactory(tenant=tenant_b)
    with tenant_context(tenant_b):
        entry = LedgerEntryFactory(program=program, partner=partner, amount=Decimal("777.00"))
        rep_entry = LedgerEntryFactory(
            program=program,
            partner=partner,
            recipient_partner=None,
            recipient_user=rep.user,
            amount=Decimal("5"),
            source=f"sale:{sale.pk}",
        )
        [payout] = payouts_prepare(actor=None, currency="USD", recipients=[partner])
    return {
        "incentives.ledgerentry": entry,
        "incentives.payout": payout,
        "rep_entry": rep_entry,
        "sale": sale,
        "statement": statement_key(partner.pk, None, entry.period),
    }


INCENTIVE_PAGES = [
    ("get", "/incentives/statements/{statement}/"),
    ("post", "/incentives/payouts/{payout}/approve"),
    ("post", "/incentives/payouts/{payout}/cancel"),
    ("post", "/incentives/payouts/{payout}/mark-paid"),
]
INCENTIVE_API = [
    ("get", "/api/v1/incentives/earnings/{entry}/"),
    ("post", "/api/v1/incentives/earnings/{entry}/claw-back"),
    ("get", "/api/v1/incentives/payouts/{payout}/"),
    ("post", "/api/v1/incentives/payouts/{payout}/approve"),
    ("post", "/api/v1/incentives/payouts/{payout}/cancel"),
    ("post", "/api/v1/incentives/payouts/{payout}/mark-paid"),
    ("get", "/api/v1/incentives/statements/{statement}/"),
]


@pytest.fixture
def ledger_world(world, tenant_a, tenant_b):
    rows = ledger_b_rows(tenant_b)
    ids = {"entry": rows["incentives.ledgerentry"].pk, "payout": rows["incentives.payout"].pk}
    return {
        "ids": {**ids, "statement": rows["statement"]},
        "payout": rows["incentives.payout"],
        "sale": rows["sale"],
        "partner": rows["incentives.ledgerentry"].partner_id,
    }


def _b_ledger_size(tenant_b) -> int:
    from incentives.models import LedgerEntry

    with tenant_context(tenant_b):
        return LedgerEntry.objects.count()


def _payout_unchanged(tenant_b, payout) -> bool:
    with tenant_context(tenant_b):
        return type(payout).objects.get(pk=payout.pk).status == "proposed"


@pytest.mark.parametrize(("method", "path"), INCENTIVE_PAGES)
def test_incentive_pages_answer_404_for_another_tenants_rows(world, ledger_world, tenant_a, tenant_b, method, path):
    client = portal_client(tenant_a, world["a_admin"].user)
    response = getattr(client, method)(path.format(**ledger_world["ids"]), {"external_reference": "X"})
    assert response.status_code == 404
    assert _payout_unchanged(tenant_b, ledger_world["payout"])


@pytest.mark.parametrize(("method", "path"), INCENTIVE_API)
def test_incentive_api_objects_of_another_tenant_are_404(world, ledger_world, tenant_a, tenant_b, method, path):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    body = {"external_reference": "X", "reason": "x"}
    response = getattr(portal_client(tenant_a), method)(
        path.format(**ledger_world["ids"]), body, content_type="application/json", **auth
    )
    assert response.status_code == 404
    assert _payout_unchanged(tenant_b, ledger_world["payout"])


def test_incentive_lists_hold_only_the_hosts_rows(world, ledger_world, tenant_a, tenant_b):
    api = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    for path in ("earnings", "payouts", "statements"):
        assert api.get(f"/api/v1/incentives/{path}/", **auth).json()["count"] == 0
        response = api.get(f"/api/v1/incentives/{path}/", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}")
        assert response.status_code == 401
    assert "Globex Partner" not in api.get("/api/v1/incentives/payouts/?format=csv", **auth).content.decode()
    response = api.post("/api/v1/incentives/payouts/", {"currency": "USD"}, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["created"] == 0
    sale_clawback = {"sale": ledger_world["sale"].pk, "reason": "x"}
    response = api.post(
        "/api/v1/incentives/earnings/sale-clawback", sale_clawback, content_type="application/json", **auth
    )
    assert response.status_code == 400 and "sale" in response.json()["error"]["fields"]
    adjustment = {"partner": ledger_world["partner"], "currency": "USD", "amount": "5.00", "reason": "x"}
    response = api.post("/api/v1/incentives/earnings/", adjustment, content_type="application/json", **auth)
    assert response.status_code == 400 and "partner" in response.json()["error"]["fields"]
    assert _b_ledger_size(tenant_b) == 2
    page = portal_client(tenant_a, world["a_admin"].user).get("/incentives/payouts/").content.decode()
    assert "Globex Partner" not in page and "777.00" not in page
    page = portal_client(tenant_a, world["a_admin"].user).get("/incentives/statements/").content.decode()
    assert "Globex Partner" not in page and "777.00" not in page
    assert _payout_unchanged(tenant_b, ledger_world["payout"])


# --- incentives: points and rewards -------------------------------------------------------------------------
def points_b_rows(tenant_b) -> dict:
    """Tenant B's partner (admin, rep with points), a reward and a requested redemption."""
    from incentives.services import redemption_request
    from tests.incentives.factories import RewardFactory, points_line

    partner = PartnerFactory(program__tenant=tenant_b, name="Globex Partner")
    rep = partner_member(partner, role=Role.PARTNER_REP)
    with tenant_context(tenant_b):
        reward = RewardFactory(tenant=tenant_b, name="Globex Hoodie", points_cost=100, stock=5)
        points_line(user=rep.user, for_partner=partner, amount=1000, occurred_on=date(2026, 1, 5))
        redemption = redemption_request(actor=rep.user, partner=partner, reward=reward)
    return {"incentives.reward": reward, "incentives.redemption": redemption, "partner": partner, "rep": rep}


def _points_b_unchanged(tenant_b, rows) -> bool:
    from incentives.models import LedgerEntry, Redemption, Reward

    with tenant_context(tenant_b):
        redemption = Redemption.objects.get(pk=rows["incentives.redemption"].pk)
        stock = Reward.objects.get(pk=rows["incentives.reward"].pk).stock
        lines = LedgerEntry.objects.count()
    return (redemption.status, stock, lines) == ("requested", 4, 2)


def test_points_routes_answer_404_for_another_tenants_rows(world, tenant_a, tenant_b):
    rows = points_b_rows(tenant_b)
    reward, redemption = rows["incentives.reward"], rows["incentives.redemption"]
    a_partner = PartnerFactory(program__tenant=tenant_a)
    a_partner_admin = partner_member(a_partner)
    pages = portal_client(tenant_a, world["a_admin"].user)
    partner_pages = portal_client(tenant_a, a_partner_admin.user)
    assert partner_pages.post(f"/rewards/{reward.pk}/redeem").status_code == 404
    for action in ("fulfil", "refuse"):
        assert pages.post(f"/redemptions/{redemption.pk}/{action}", {"reason": "x"}).status_code == 404
    for client, path in ((pages, "/redemptions/?status=all"), (partner_pages, "/rewards/")):
        page = client.get(path).content.decode()
        assert "Globex Hoodie" not in page and "Globex Partner" not in page

    api = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['a_admin'])}"}
    partner_auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(a_partner_admin)}"}
    assert api.get(f"/api/v1/rewards/{reward.pk}/", **auth).status_code == 404
    response = api.patch(f"/api/v1/rewards/{reward.pk}/", {"stock": 0}, content_type="application/json", **auth)
    assert response.status_code == 404
    assert api.get(f"/api/v1/redemptions/{redemption.pk}/", **auth).status_code == 404
    for action in ("fulfil", "refuse"):
        response = api.post(f"/api/v1/redemptions/{redemption.pk}/{action}", {"reason": "x"}, **auth)
        assert response.status_code == 404
    assert api.get("/api/v1/points/", {"partner": rows["partner"].pk}, **auth).status_code == 404
    assert api.get("/api/v1/points/", {"user": rows["rep"].user.pk}, **auth).status_code == 404
    body = {"reward": reward.pk}
    response = api.post("/api/v1/redemptions/", body, content_type="application/json", **partner_auth)
    assert response.status_code == 400 and "reward" in response.json()["error"]["fields"]
    for path in ("/api/v1/rewards/", "/api/v1/redemptions/"):
        assert api.get(path, **auth).json()["count"] == 0
        assert api.get(path, **partner_auth).json()["count"] == 0
    assert api.get("/api/v1/points/", **partner_auth).json()["count"] == 0
    for path in ("/api/v1/points/", "/api/v1/rewards/", "/api/v1/redemptions/"):
        assert api.get(path, HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    assert _points_b_unchanged(tenant_b, rows)


# --- incentives: leaderboards -------------------------------------------------------------------------
def test_leaderboards_hold_only_the_hosts_rows(world, tenant_a, tenant_b):
    from incentives.models import IncentiveSettings
    from incentives.services import leaderboard_refresh
    from tests.factories import SaleRecordFactory

    today = date.today()
    for tenant, name in ((tenant_a, "Acme Partner"), (tenant_b, "Globex Partner")):
        with tenant_context(tenant):
            partner = PartnerFactory(program__tenant=tenant, name=name)
            SaleRecordFactory(partner=partner, booked_on=today)
            IncentiveSettings.objects.create(leaderboard_published=True, leaderboard_show_names=True)
            leaderboard_refresh(period_key=str(today.year))
    with tenant_context(tenant_a):
        a_partner = PartnerFactory(program__tenant=tenant_a)
    query = f"?metric=revenue&period={today.year}"
    api = portal_client(tenant_a)
    for membership in (world["a_admin"], partner_member(a_partner)):
        body = api.get(f"/api/v1/leaderboards/{query}", HTTP_AUTHORIZATION=f"Bearer {issue_token(membership)}").json()
        assert [row["name"] for row in body["results"]] == ["Acme Partner"]
    assert api.get(f"/api/v1/leaderboards/{query}", HTTP_AUTHORIZATION=f"Bearer {world['b_token']}").status_code == 401
    page = portal_client(tenant_a, world["a_admin"].user).get(f"/leaderboards/{query}").content.decode()
    assert "Acme Partner" in page and "Globex Partner" not in page
    # a tenant A session posting to tenant B's host is sent to sign in; B's publication is unchanged
    response = portal_client(tenant_a, world["a_admin"].user).post(
        "/leaderboards/publish", {}, HTTP_HOST=host_of(tenant_b)
    )
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    with tenant_context(tenant_b):
        assert IncentiveSettings.objects.get().leaderboard_published
