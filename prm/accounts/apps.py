from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "prm.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import password_reset
        from django.contrib.auth.signals import user_logged_in

        from . import roles  # noqa: F401  (registers the foundation's capabilities)
        from .middleware import bind_session_on_login
        from .services import user_mark_email_verified

        user_logged_in.connect(bind_session_on_login, dispatch_uid="prm.accounts.bind_session")
        password_reset.connect(
            lambda sender, request, user, **kw: user_mark_email_verified(user=user),
            dispatch_uid="prm.accounts.verify_on_reset",
            weak=False,
        )
