"""Template tags of the library: the public resources shown on the recruitment pages."""

from django import template

from ..models import AssetKind
from ..selectors import public_assets

register = template.Library()
PUBLIC_RESOURCES = 6


@register.inclusion_tag("content/library/join_resources.html")
def public_resources(limit: int = PUBLIC_RESOURCES):
    """The newest published public files and links (what a visitor without an account can open)."""
    assets = public_assets().filter(kind__in=[AssetKind.FILE, AssetKind.LINK]).order_by("-created_at", "-pk")
    return {"resources": list(assets[:limit])}
