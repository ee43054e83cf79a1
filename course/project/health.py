"""The health check: for load balancers, and the benchmark's floor."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request):
    """The middleware stack and nothing else: no query, no template."""
    return HttpResponse("ok", content_type="text/plain")
