"""Factories of the content app (rows as stored; the search vector is written by `content.services.assets_index`)."""

import factory

from tests.factories import TenantFactory, TenantOwnedFactory


class LibraryFactory(TenantOwnedFactory):
    class Meta:
        model = "content.Library"

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Library {n}")


class AssetFactory(TenantOwnedFactory):
    """A published, restricted-to-nobody (so: every partner) article by default."""

    class Meta:
        model = "content.Asset"

    library = factory.SubFactory(LibraryFactory)
    tenant = factory.SelfAttribute("library.tenant")
    kind = "article"
    title = factory.Sequence(lambda n: f"Asset {n}")
    is_published = True
