"""The client's address: REMOTE_ADDR, or, behind reverse proxies the operator trusts, the
address the outermost of them saw, taken from X-Forwarded-For."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For.

    Each proxy appends the address it received the request from, so the right-most n
    entries were written by the trusted proxies and the n-th of them is the client's; what
    stands to the left came from the client and may be forged. A header with fewer entries,
    or an entry that is not an address, means the request did not come through the proxies
    as configured: REMOTE_ADDR is all that can be trusted then.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
