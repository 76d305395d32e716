"""The search vector of assets: title (weight A), tags (B), summary (B) and article text without its markup (C),
in the asset's language. Set-based: one UPDATE per language, whatever the number of assets."""

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce

from ..models import Asset
from ..rules import search_config


def _text(expression):
    return Coalesce(expression, Value(""), output_field=TextField())


def assets_index(asset_ids) -> int:
    """Refresh the search vector of these assets; returns how many were written."""
    ids = list(asset_ids)
    written = 0
    languages = Asset.objects.filter(pk__in=ids).order_by().values_list("language", flat=True).distinct()
    for language in list(languages):
        config = search_config(language)
        tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
        body = Func(
            F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField()
        )
        vector = (
            SearchVector(_text(F("title")), weight="A", config=config)
            + SearchVector(_text(tags), weight="B", config=config)
            + SearchVector(_text(F("summary")), weight="B", config=config)
            + SearchVector(_text(body), weight="C", config=config)
        )
        written += Asset.objects.filter(pk__in=ids, language=language).update(search=vector)
    return written
