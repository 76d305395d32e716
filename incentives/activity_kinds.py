"""The point-earning activity kinds of deals and of incentives' own manual log, for the registry in
`incentives.event_kinds` (registered from `IncentivesConfig.ready()`).

Each source selects `partner_id, user_id, occurred_on, reference` for the partners of a chunk, events
recorded up to the run's cutoff and dated inside the period. Dates of timestamped events are their
UTC date. `course_completed` and `certification_earned` belong to the content app, which registers
them from its own ready() (`content.training_feeds`).
"""

from django.utils.translation import gettext_lazy as _

from deals.metric_sources import APPROVED_OR_LATER
from deals.models import Deal, Lead, LeadAssignment
from prm.audit.models import AuditEvent

from .event_kinds import EventKind, register_event_kind
from .models import ActivityEvent

# Kinds people log by hand (incentives.services.activity.activity_log), with what they mean.
MANUAL_KINDS = {
    "webinar_attended": _("Webinar attended"),
    "demo_logged": _("Demo logged"),
}


# When each deal activity happened, from the registration's own columns (set by the deals services and
# by the demo alike), and which registrations count.
_DEAL_MOMENTS = {
    "submitted": ("d.submitted_at", ""),
    # decided_at is the approval (or rejection) time; approved-or-later registrations were approved.
    "approved": ("d.decided_at", f"AND d.status IN ({', '.join(repr(str(s)) for s in APPROVED_OR_LATER)})"),
    "won": ("d.closed_at", "AND d.status = 'won'"),
}


def _deal_event_source(event: str):
    """Registrations that were submitted / approved / won in the period, earned by the registering rep."""
    moment, condition = _DEAL_MOMENTS[event]

    def source(*, tenant_id, first_day, last_day, cutoff, partner_ids) -> tuple[str, list]:
        sql = f"""
            SELECT d.partner_id, d.registered_by_id AS user_id, ({moment} AT TIME ZONE 'UTC')::date AS occurred_on,
                   d.id::text AS reference
            FROM {Deal._meta.db_table} d
            WHERE d.tenant_id = %s AND d.partner_id = ANY(%s) AND {moment} IS NOT NULL AND {moment} <= %s
              AND ({moment} AT TIME ZONE 'UTC')::date BETWEEN %s AND %s {condition}
        """
        return sql, [tenant_id, partner_ids, cutoff, first_day, last_day]

    return source


def lead_accepted_within_sla(*, tenant_id, first_day, last_day, cutoff, partner_ids) -> tuple[str, list]:
    """Leads a partner accepted before the lead's accept-by time; the person is who accepted it
    (the `lead.accept` audit event), none when unknown."""
    sql = f"""
        SELECT a.partner_id, who.actor_id AS user_id, (a.decided_at AT TIME ZONE 'UTC')::date AS occurred_on,
               l.id::text AS reference
        FROM {LeadAssignment._meta.db_table} a
        JOIN {Lead._meta.db_table} l ON l.id = a.lead_id
        LEFT JOIN LATERAL (
            SELECT au.actor_id FROM {AuditEvent._meta.db_table} au
            JOIN django_content_type ct ON ct.id = au.content_type_id AND ct.app_label = 'deals' AND ct.model = 'lead'
            WHERE au.tenant_id = a.tenant_id AND au.action = 'lead.accept' AND au.object_id = l.id::text
            ORDER BY au.created_at DESC, au.id DESC LIMIT 1
        ) who ON true
        WHERE a.tenant_id = %s AND a.partner_id = ANY(%s) AND a.outcome = 'accepted'
          AND a.decided_at <= %s AND l.accept_due_at IS NOT NULL AND a.decided_at <= l.accept_due_at
          AND (a.decided_at AT TIME ZONE 'UTC')::date BETWEEN %s AND %s
    """
    return sql, [tenant_id, partner_ids, cutoff, first_day, last_day]


def _manual_source(kind: str):
    """Logged activities of `kind`; the reference is the activity's id (callers' references repeat
    across people)."""

    def source(*, tenant_id, first_day, last_day, cutoff, partner_ids) -> tuple[str, list]:
        sql = f"""
            SELECT a.partner_id, a.user_id, a.occurred_on, a.id::text AS reference
            FROM {ActivityEvent._meta.db_table} a
            WHERE a.tenant_id = %s AND a.kind = %s AND a.partner_id = ANY(%s) AND a.created_at <= %s
              AND a.occurred_on BETWEEN %s AND %s
        """
        return sql, [tenant_id, kind, partner_ids, cutoff, first_day, last_day]

    return source


def register_activity_kinds() -> None:
    register_event_kind(EventKind("deal_registered", _("Deal registered"), source=_deal_event_source("submitted")))
    register_event_kind(EventKind("deal_approved", _("Deal approved"), source=_deal_event_source("approved")))
    register_event_kind(EventKind("deal_won", _("Deal won"), source=_deal_event_source("won")))
    register_event_kind(
        EventKind("lead_accepted_within_sla", _("Lead accepted within SLA"), source=lead_accepted_within_sla)
    )
    for key, label in MANUAL_KINDS.items():
        register_event_kind(EventKind(key, label, source=_manual_source(key)))
