"""Re-executing a failed run: the same run row, the same cutoff, queued again (posting is idempotent)."""

from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import StateConflict
from prm.tenancy.context import current_tenant

from ..models import Run


@transaction.atomic
def run_reexecute(*, run: Run, actor) -> Run:
    """Queue a failed run again. It reads the inputs it saw the first time (up to its cutoff) and posts only
    what is still missing, so a run that failed halfway completes without posting anything twice."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != Run.Status.FAILED:
        raise StateConflict(
            _("Only failed runs are re-executed; this one is %(status)s.") % {"status": run.get_status_display()},
            current_state=run.status,
        )
    audit_record(action="incentives.run_reexecute", actor=actor, obj=run, context={"period": run.period})
    from ..tasks import run_execute_task

    run_execute_task.delay_on_commit(tenant_id=current_tenant().pk, run_id=run.pk)
    return run
