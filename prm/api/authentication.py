from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from prm.accounts.selectors import membership_get_active

from .selectors import api_token_find
from .services import api_token_touch, parse_token, secret_matches

INVALID_TOKEN = _("Invalid, expired or revoked token.")


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer prm_<prefix>_<secret>`, valid only on the host of the tenant that issued it.

    The token is looked up inside the request's tenant context, so another
    tenant's token is simply not found (401), like a made-up one.
    """

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Send the token as 'Authorization: Bearer <token>'."))
        parsed = parse_token(header[1].decode("latin-1"))
        if parsed is None or getattr(request, "tenant", None) is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        prefix, secret = parsed
        token = api_token_find(prefix=prefix)
        if token is None or not secret_matches(token, secret) or not token.is_usable or not token.user.is_active:
            raise AuthenticationFailed(INVALID_TOKEN)
        membership = membership_get_active(user=token.user)
        if membership is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        request._request.membership = membership
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
