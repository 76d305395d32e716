"""The shared pager keeps the list's filters when it moves between pages."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_pager_links_keep_the_query_and_change_only_the_page():
    request = RequestFactory().get("/incentives/payouts/", {"status": "approved", "page": "2"})
    page = Paginator(range(60), 25).page(2)
    html = render_to_string("portal/partials/pager.html", {"page": page}, request=request)
    assert 'href="?status=approved&amp;page=1"' in html
    assert 'href="?status=approved&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_a_single_page_has_no_pager():
    request = RequestFactory().get("/")
    html = render_to_string("portal/partials/pager.html", {"page": Paginator(range(3), 25).page(1)}, request=request)
    assert html.strip() == ""
