"""The portal's settings with a "hello" route as the root URLconf: the benchmarks' anchor.

Same middleware, database and cache settings as the portal, so the anchor measures
what Django and gunicorn cost before any page of ours does work.
"""

from samverkan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.hello_urls"
