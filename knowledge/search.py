"""Search across a sjukvårdsregion's groups, promises and goals.

PostgreSQL full-text search in the 'swedish' configuration ranks the hits, with
every word as a prefix so "cancer" finds "Cancersjukdomar". Stemming does not split
compounds, so "kirurgi" would miss "plastikkirurgi": a trigram word-similarity and
substring match catches those. Only what the user may read is searched.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from knowledge.models import PatientPromise, RegionalGroup
from knowledge.selectors import goals_visible_to, kind_names
from regions.models import HealthcareRegion

CONFIG = "swedish"
MIN_SIMILARITY = 0.5
LIMIT = 50


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str
    rank: float


def _words(q: str) -> list[str]:
    return re.findall(r"\w+", q.lower())[:8]


def _prefix_query(words: list[str]) -> SearchQuery:
    # Only \w characters reach the raw tsquery, so user input cannot break its syntax.
    return SearchQuery(" & ".join(f"{w}:*" for w in words), config=CONFIG, search_type="raw")


def _ranked(queryset, fields: list[str], words: list[str], title_field: str):
    vector = SearchVector(*fields, config=CONFIG)
    query = _prefix_query(words)
    text = " ".join(words)
    substring = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        substring &= any_field
    return (
        queryset.annotate(
            fts_rank=SearchRank(vector, query),
            similarity=TrigramWordSimilarity(text, title_field),
        )
        .filter(Q(fts_rank__gt=0) | Q(similarity__gte=MIN_SIMILARITY) | substring)
        .annotate(
            rank=Greatest(
                Coalesce(F("fts_rank"), Value(0.0)), F("similarity"), output_field=FloatField()
            )
        )
        .order_by("-rank")[:LIMIT]
    )


# Other apps' searches, e.g. plans': knowledge does not import them (DESIGN.md,
# Architecture); they register a callable (user, healthcare_region, q) -> list[Hit]
# from their AppConfig.ready() and may rank with `ranked` and `search_words`.
_sources = []


def register_search_source(source) -> None:
    if source not in _sources:
        _sources.append(source)


def knowledge_search(user, healthcare_region: HealthcareRegion, q: str) -> list[Hit]:
    """Ranked hits among the sjukvårdsregion's groups, promises and visible goals."""
    words = _words(q)
    if not words:
        return []
    names = kind_names(healthcare_region)
    hits = []
    groups = _ranked(
        RegionalGroup.objects.filter(healthcare_region=healthcare_region).select_related(
            "healthcare_region"
        ),
        ["name", "mandate", "note"],
        words,
        "name",
    )
    for g in groups:
        hits.append(
            Hit(
                names[g.kind].abbreviation,
                g.name,
                g.get_absolute_url(),
                g.get_state_display(),
                g.rank,
            )
        )
    promises = _ranked(
        PatientPromise.objects.filter(healthcare_region=healthcare_region), ["text"], words, "text"
    )
    for p in promises:
        hits.append(
            Hit(_("Löfte"), p.text, f"{_promises_url(healthcare_region)}#lofte-{p.pk}", "", p.rank)
        )
    goals = _ranked(
        goals_visible_to(user, healthcare_region).select_related(
            "healthcare_region", "program_area"
        ),
        ["title", "description"],
        words,
        "title",
    )
    for goal in goals:
        hits.append(
            Hit(
                _("Mål"),
                goal.title,
                goal.get_absolute_url(),
                goal.program_area.name if goal.program_area else "",
                goal.rank,
            )
        )
    for source in _sources:
        hits.extend(source(user, healthcare_region, q))
    hits.sort(key=lambda h: -h.rank)
    return hits


def _promises_url(healthcare_region):
    from django.urls import reverse

    return reverse("knowledge:goals", kwargs={"hr": healthcare_region.slug})


ranked = _ranked
search_words = _words
