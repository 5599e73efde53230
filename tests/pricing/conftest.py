"""Price lists on top of the shared two sjukvårdsregioner.

`open_list` is Mellansverige's 2025 list with collection open; `decided_list` its
2024 list, decided at a published meeting, with lines for Uppsala and Dalarna.
"""

import pytest

from tests.pricing.factories import make_decided_list, make_open_list


@pytest.fixture
def decided_list(mellansverige, published_meeting, uppsala, dalarna):
    return make_decided_list(mellansverige, published_meeting, uppsala, dalarna)


@pytest.fixture
def open_list(mellansverige, uppsala, dalarna):
    return make_open_list(mellansverige)
