"""Template filters for the content app's stored (sanitised) HTML."""

from html import unescape

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()


@register.filter
def excerpt(html: str, words: int = 24) -> str:
    """The start of a stored article as plain text (escaped again on output): tags become spaces, so paragraphs do
    not run together, and entities become the characters they stand for."""
    text = " ".join(unescape(strip_tags((html or "").replace("<", " <"))).split())
    return Truncator(text).words(words)
