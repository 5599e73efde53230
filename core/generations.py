"""Cache entries made stale together by one generation number (Redis, shared by every
process).

An entry is stored with the generation current when its value was read from the
database; a write that makes such entries stale bumps the number, and an entry stored
under another number is loaded again. The number is read in the same round trip as
the entry, so a hit costs one Redis GET.
"""

import secrets

from django.core.cache import cache


def fetch(key: str, generation_key: str):
    """(the entry's value, or None if missing or stale; the current generation)."""
    return fetch_many([(key, generation_key)])[0]


def fetch_many(pairs: list[tuple[str, str]]) -> list[tuple]:
    """`fetch` for several (key, generation key) pairs, in one round trip."""
    found = cache.get_many({name for pair in pairs for name in pair})
    result = []
    for key, generation_key in pairs:
        generation = found.get(generation_key, 0)
        entry = found.get(key)
        valid = entry is not None and entry[0] == generation
        result.append((entry[1] if valid else None, generation))
    return result


def store(key: str, generation: int, value, lifetime: int) -> None:
    """Keep `value`, read under `generation` (from `fetch`, before the reading began)."""
    cache.set(key, (generation, value), lifetime)


def get_or_load(key: str, generation_key: str, load, lifetime: int):
    value, generation = fetch(key, generation_key)
    if value is None:
        value = load()
        store(key, generation, value, lifetime)
    return value


def bump(generation_key: str) -> None:
    """Make every entry under this generation stale."""
    try:
        cache.incr(generation_key)
    except ValueError:
        # Never set, or evicted: start from a random number, so that entries stored
        # under an earlier count cannot match again when the count comes back.
        cache.set(generation_key, secrets.randbits(62), timeout=None)
