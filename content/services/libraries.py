"""Changes to a library's shelf label: its name, description and position among the libraries."""

from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import InvalidInput

from ..models import Library

LIBRARY_FIELDS = ("name", "description", "position")


@transaction.atomic
def library_update(*, actor, library: Library, **values) -> Library:
    library = Library.objects.select_for_update().get(pk=library.pk)
    changes = {key: value for key, value in values.items() if key in LIBRARY_FIELDS}
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise InvalidInput.on_fields({"name": [_("Give the library a name.")]})
        if Library.objects.filter(name=changes["name"]).exclude(pk=library.pk).exists():
            raise InvalidInput.on_fields({"name": [_("A library with this name exists already.")]})
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    before = {key: str(getattr(library, key)) for key in changes}
    for key, value in changes.items():
        setattr(library, key, value)
    library.save()
    audit_record(
        action="content.library_update",
        actor=actor,
        obj=library,
        changes={key: [before[key], str(getattr(library, key))] for key in changes},
    )
    return library
