from allauth.account.adapter import DefaultAccountAdapter

from prm.tenancy.context import current_tenant_or_none

from .permissions import on_platform_host


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Vendor staff are invited by tenant admins; partners apply through
        # the recruitment form. Nobody signs up on their own.
        return False

    def get_login_redirect_url(self, request):
        if on_platform_host(request):
            return "/admin/"
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject):
        tenant = current_tenant_or_none()
        prefix = tenant.title if tenant is not None else "PRM"
        return f"[{prefix}] {subject}"
