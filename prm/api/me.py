"""Extensions of `GET /api/v1/me`: business apps add a top-level key in `AppConfig.ready()`.

    register_me_extension(MeExtension("partner", partner_of_request, PartnerRefSerializer(allow_null=True)))

`value(request)` computes the key's value for the signed-in member; `field` renders it and
documents it in the OpenAPI schema. prm itself imports no business app: they come to it.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

RESERVED_KEYS = frozenset({"user", "tenant", "roles", "capabilities"})


@dataclass(frozen=True)
class MeExtension:
    key: str
    value: Callable[[Any], Any]
    field: serializers.Field


_EXTENSIONS: dict[str, MeExtension] = {}


def register_me_extension(extension: MeExtension) -> None:
    if extension.key in RESERVED_KEYS:
        raise ValueError(f"/me already has a {extension.key!r} key.")
    existing = _EXTENSIONS.get(extension.key)
    if existing is not None and existing != extension:
        raise ValueError(f"A /me extension {extension.key!r} is already registered.")
    _EXTENSIONS[extension.key] = extension


def me_extensions() -> list[MeExtension]:
    return sorted(_EXTENSIONS.values(), key=lambda extension: extension.key)


def me_extension_fields() -> dict[str, serializers.Field]:
    """A fresh field per extension (a serializer field binds to one parent)."""
    return {extension.key: copy.deepcopy(extension.field) for extension in me_extensions()}


def me_extension_values(request) -> dict[str, Any]:
    return {extension.key: extension.value(request) for extension in me_extensions()}
