"""Full-text search over assets: each asset is read in its own language (stemming), a title match outranks a match
in the article, markup is not searchable, and the filters narrow the results."""

import pytest

from content.models import Asset
from content.selectors import asset_search
from content.services import assets_index
from prm.tenancy.context import tenant_context
from tests.content.factories import AssetFactory, LibraryFactory


@pytest.fixture
def assets(tenant_a):
    with tenant_context(tenant_a):
        library = LibraryFactory(tenant=tenant_a)
        make = lambda title, **values: AssetFactory(tenant=tenant_a, library=library, title=title, **values)  # noqa: E731
        made = [
            make("Zero trust pitch deck", summary="Slides for the first meeting", tags=["security"], stage="selling"),
            make("Onboarding checklist", body="<p>Read the <strong>zero trust</strong> primer first.</p>",
                 stage="onboarding"),
            make("Guía de campañas", summary="Cómo lanzar campañas de correo", language="es"),
            make("Handleiding facturatie", summary="Hoe facturen werken", language="nl", stage="servicing"),
            make("Styling notes", body='<p class="strong">Colours</p>'),
            make("Renewal playbook", tags=["renewals", "security"], kind="file"),
        ]  # fmt: skip
        assets_index(asset.pk for asset in made)
    return tenant_a


def _titles(**filters) -> list[str]:
    return list(asset_search(Asset.objects.all(), **filters).values_list("title", flat=True))


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_match_in_the_article(assets):
    with tenant_context(assets):
        assert _titles(text="zero trust") == ["Zero trust pitch deck", "Onboarding checklist"]


@pytest.mark.django_db
def test_each_asset_is_stemmed_in_its_language(assets):
    with tenant_context(assets):
        assert _titles(text="campaña") == ["Guía de campañas"]  # Spanish stemming: campaña ~ campañas
        assert _titles(text="factuur") == ["Handleiding facturatie"]  # Dutch: factuur ~ facturen
        assert _titles(text="renewal") == ["Renewal playbook"]  # English: renewal ~ renewals


@pytest.mark.django_db
def test_markup_is_not_searchable(assets):
    with tenant_context(assets):
        assert _titles(text="strong") == []
        assert _titles(text="colours") == ["Styling notes"]


@pytest.mark.django_db
def test_filters_narrow_the_results(assets):
    with tenant_context(assets):
        assert _titles(tag="security") == ["Renewal playbook", "Zero trust pitch deck"]
        assert _titles(text="security", kind="file") == ["Renewal playbook"]
        # an asset without a stage helps at every stage
        assert "Renewal playbook" in _titles(stage="servicing")
        assert "Zero trust pitch deck" not in _titles(stage="servicing")
        assert _titles(language="nl") == ["Handleiding facturatie"]


@pytest.mark.django_db
def test_indexing_takes_one_update_per_language_whatever_the_number_of_assets(assets, django_assert_num_queries):
    with tenant_context(assets):
        ids = list(Asset.objects.values_list("pk", flat=True))
        with django_assert_num_queries(1 + 3):  # the languages present (en, es, nl), then one UPDATE each
            assert assets_index(ids) == 6
