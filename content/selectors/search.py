"""Full-text search over assets (PostgreSQL), each asset read in its own language: the query is parsed with
every portal language's configuration and matched against the vector stored in the asset's."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from ..models import Asset
from ..rules import SEARCH_CONFIGS


def _query(text: str) -> SearchQuery:
    queries = [SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS.values()]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def asset_search(assets: QuerySet[Asset], *, text: str = "", kind: str = "", stage: str = "", language: str = "",
                 tag: str = "") -> QuerySet[Asset]:  # fmt: skip
    """`assets` (already scoped by `assets_visible_to`) matching the filters; with `text`, only the matches, best
    first (a title match outranks one in the summary or the article)."""
    if kind:
        assets = assets.filter(kind=kind)
    if stage:
        assets = assets.filter(stage__in=[stage, ""])
    if language:
        assets = assets.filter(language=language)
    if tag:
        assets = assets.filter(tags__contains=[tag])
    text = (text or "").strip()
    if not text:
        return assets.order_by("title", "pk")
    query = _query(text)
    return assets.filter(search=query).annotate(rank=SearchRank(F("search"), query)).order_by("-rank", "title", "pk")
