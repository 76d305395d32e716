"""`{% deal_protection deal %}` and `{% deal_history deal %}`: the protection panel and the history of a
deal, for any page that has `deal` and `request` (CORE's deal detail page)."""

from django import template

from prm.accounts.permissions import request_can

from ..views.protection import history_context, protection_context

register = template.Library()


@register.inclusion_tag("deals/partials/protection.html", takes_context=True)
def deal_protection(context, deal):
    return {**protection_context(context["request"], deal), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("deals/partials/history.html", takes_context=True)
def deal_history(context, deal):
    return history_context(deal, vendor_view=request_can(context["request"], "deals.view_all"))
