"""Host → tenant resolution rules (pure: no database)."""

from dataclasses import dataclass
from enum import Enum


class HostKind(Enum):
    PLATFORM = "platform"
    SUBDOMAIN = "subdomain"
    CUSTOM = "custom"


@dataclass(frozen=True)
class HostMatch:
    kind: HostKind
    value: str  # the slug for SUBDOMAIN, the host name for CUSTOM


def normalise_host(raw_host: str) -> str:
    """Lower-case, without port or trailing dot; IPv6 literals keep their brackets."""
    host = (raw_host or "").strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


def classify_host(raw_host: str, base_domain: str) -> HostMatch:
    host = normalise_host(raw_host)
    if host == base_domain:
        return HostMatch(HostKind.PLATFORM, host)
    suffix = "." + base_domain
    if host.endswith(suffix):
        label = host[: -len(suffix)]
        if label and "." not in label:
            return HostMatch(HostKind.SUBDOMAIN, label)
    return HostMatch(HostKind.CUSTOM, host)
