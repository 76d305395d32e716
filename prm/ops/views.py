from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import health_report


@never_cache
@require_GET
def healthz(request):
    """Database and Redis reachability and the beat→worker heartbeat's age; 200 or 503."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
