"""A fixed-window count of uses per key in the shared cache (Redis), for forms that
send something (e-mail) and must not be used as a relay."""

from django.core.cache import cache


def rate_limit_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one use of `key`; False once more than `limit` uses fall in the window.

    The window starts with the first use (cache.add sets the key and its lifetime only
    if it is missing) and the count is Redis INCR, so parallel requests on any web
    process are each counted once: no read-then-write race lets one more through.
    """
    full_key = f"rate-limit:{key}"
    cache.add(full_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # the window ended between add and incr
        cache.add(full_key, 0, timeout=window_seconds)
        count = cache.incr(full_key)
    return count <= limit
