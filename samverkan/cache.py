"""Django's Redis cache, reusing one client per connection pool, and answering a miss
while Redis is away.

Django's RedisCacheClient builds a new redis.Redis around its pool for every cache
operation; a signed-in page served from the cache makes three (session, user with
permissions, page), and building those clients was a visible share of such a request
(bench/plan_page.py measures it). A redis.Redis is safe to share between threads, and its
pool notices a fork.

Everything the cache holds can be read again from PostgreSQL (sessions are cached_db,
users and pages are rendered anew), so an unreachable Redis is a cache miss, not an
error: a read returns its default, a write is dropped, an increment counts from the
delta as if the key were new, and the failure is logged. /health/ pings Redis itself
and reports it down meanwhile.
"""

import logging

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


def _soft(fallback):
    """Run a client operation; while Redis is unreachable return fallback(*args) instead."""

    def decorate(operation):
        def soft_operation(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning(
                    "Cache unreachable (%s): %s answered as a miss", error, operation.__name__
                )
                return fallback(*args, **kwargs)

        soft_operation.__name__ = operation.__name__
        return soft_operation

    return decorate


def _nothing(*args, **kwargs):
    return None


class _PortalClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    get = _soft(lambda key, default: default)(RedisCacheClient.get)
    get_many = _soft(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _soft(lambda key: False)(RedisCacheClient.has_key)
    add = _soft(lambda key, value, timeout: False)(RedisCacheClient.add)
    set = _soft(_nothing)(RedisCacheClient.set)
    set_many = _soft(lambda data, timeout: [])(RedisCacheClient.set_many)
    touch = _soft(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _soft(lambda key: False)(RedisCacheClient.delete)
    delete_many = _soft(_nothing)(RedisCacheClient.delete_many)
    incr = _soft(lambda key, delta: delta)(RedisCacheClient.incr)
    clear = _soft(lambda: False)(RedisCacheClient.clear)


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PortalClient
