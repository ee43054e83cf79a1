"""Rate limits: how many times something may happen per key in a window, counted in the cache.

Counts live in the `shared` cache (settings.CACHES), which every worker on the machine
reads, and every server too when it is Redis. On the file cache a count read and written
by two workers at the same moment can miss one of them: a limit, not an exact tally.
"""

import hashlib
import time

from django.core.cache import caches


def within_limit(*, action: str, key: str, limit: int, seconds: int) -> bool:
    """Count one `action` by `key`; True while at most `limit` were counted in this window.

    Windows are fixed, `seconds` long; a refused try counts too, so hammering does not
    help. The key is hashed: it may be an email address, which cache keys must not carry.
    """
    cache = caches["shared"]
    window = int(time.time() // seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    counter = f"rate-limit:{action}:{digest}:{window}"
    cache.add(counter, 0, timeout=seconds)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr: the window just ended
        cache.set(counter, 1, timeout=seconds)
        count = 1
    return count <= limit
