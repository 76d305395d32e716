"""Knowledge articles are HTML written in the portal: only a small set of tags and attributes survives (nh3, a
maintained Rust sanitiser); scripts, event handlers, styles and `javascript:` links never do."""

import nh3

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_article(html: str) -> str:
    return nh3.clean(
        html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"
    ).strip()
