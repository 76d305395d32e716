"""Telling people about a registration's transitions: in the portal at once, by email on commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from prm.accounts.models import User
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant
from prm.tenancy.selectors import tenant_portal_url

from ..models import Deal


def deal_notice_text(deal: Deal, kind: str, note: str = "") -> tuple[str, str]:
    """(title, body) of a notice, in the active language. Partners' notices never name another partner."""
    values = {
        "customer": deal.customer_name,
        "partner": deal.partner.name,
        "value": deal.estimated_value,
        "currency": deal.currency,
        "note": note,
    }
    if kind == "submitted":
        due = formats.date_format(deal.review_due_at, "SHORT_DATE_FORMAT") if deal.review_due_at else "—"
        title = _("New deal registration: %(customer)s") % values
        body = _("%(partner)s registered %(customer)s (%(value)s %(currency)s).") % values
        body += " " + _("Review it by %(due)s.") % {"due": due}
        if note:
            body += " " + note
    elif kind == "approved":
        title = _("Deal registration approved: %(customer)s") % values
        until = formats.date_format(deal.protected_until, "SHORT_DATE_FORMAT")
        body = _("The customer is protected for you until %(date)s.") % {"date": until}
    elif kind == "rejected":
        title = _("Deal registration rejected: %(customer)s") % values
        body = _("Reason: %(note)s") % values
    elif kind == "special_pricing":
        title = _("Special pricing for %(customer)s") % values
        body = note
    elif kind == "won":
        title = _("Deal won: %(customer)s") % values
        body = _("%(partner)s closed %(customer)s as won: %(amount)s %(currency)s.") % {
            **values,
            "amount": deal.closed_amount,
        }
    elif kind == "lost":
        title = _("Deal lost: %(customer)s") % values
        body = _("Reason: %(note)s") % values
    else:
        raise ValueError(f"Unknown deal notice {kind!r}.")
    return title, body


def deal_tell(*, deal: Deal, kind: str, users, actor=None, note: str = "") -> None:
    """Notify `users` (the actor, None and repeats left out) in the portal now and by email on commit."""
    from ..tasks.notices import deal_email_send_task

    actor_id = getattr(actor, "pk", None)
    recipients = list({user.pk: user for user in users if user is not None and user.pk != actor_id}.values())
    if not recipients:
        return
    with translation.override(current_tenant().default_language):
        title, body = deal_notice_text(deal, kind, note)
    notify(users=recipients, title=title, body=body, url=reverse("deals:detail", args=[deal.pk]))
    deal_email_send_task.delay_on_commit(
        tenant_id=deal.tenant_id, deal_id=deal.pk, kind=kind, user_ids=[user.pk for user in recipients], note=note
    )


def deal_email_send(*, deal: Deal, kind: str, user_ids, note: str = "") -> int:
    """Email each user (separately: recipients never see each other) the notice, in the vendor's language."""
    tenant = deal.tenant
    url = tenant_portal_url(tenant=tenant, path=reverse("deals:detail", args=[deal.pk]))
    with translation.override(tenant.default_language):
        title, body = deal_notice_text(deal, kind, note)
        message = render_to_string(
            "deals/email/deal_notice_message.txt", {"tenant": tenant, "title": title, "body": body, "url": url}
        )
    emails = User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk").values_list("email", flat=True)
    sent = 0
    for email in emails:
        EmailMessage(title, message, settings.DEFAULT_FROM_EMAIL, [email]).send()
        sent += 1
    return sent
