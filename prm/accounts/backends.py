from allauth.account.auth_backends import AuthenticationBackend

from .selectors import user_may_sign_in


class TenantMembershipBackend(AuthenticationBackend):
    """allauth's email/password check, then: may this user sign in on this host?

    A refused user gets the same answer as a wrong password, so another
    vendor's portal reveals nothing about who has an account.
    """

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and not user_may_sign_in(user=user):
            return None
        return user
