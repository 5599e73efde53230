"""Django's Redis cache, reusing one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis around its pool for every cache
operation; a signed-in page served from the cache makes three (session, user with
permissions, page), and building those clients was a visible share of such a request
(bench/plan_page.py measures it). A redis.Redis is safe to share between threads, and its pool notices a fork.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
