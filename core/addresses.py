"""The address a request came from, as the counters of failed log-ins and sent forms
must see it.

Behind a reverse proxy every request comes from the proxy: counted by REMOTE_ADDR, one
client's failures would pause everyone. With TRUSTED_PROXY_COUNT proxies in front, each
appends the address it received the request from to X-Forwarded-For, so the client is
the entry that many places from the right. The entries to its left were written by the
client itself and prove nothing; they are never used.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies or request is None:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # The last proxy is REMOTE_ADDR itself; the other proxies' entries are the last ones.
    if len(forwarded) < proxies:
        return remote  # not through the proxies as configured: the nearest address
    return forwarded[-proxies]
