from allauth.account.forms import ResetPasswordForm

from .selectors import user_may_sign_in


class TenantResetPasswordForm(ResetPasswordForm):
    """Only people who may sign in on this host get a reset link; others are treated as unknown."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [user for user in self.users if user_may_sign_in(user=user)]
        return email
