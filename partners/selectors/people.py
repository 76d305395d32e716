from prm.accounts.models import Membership

from ..models import Partner, PartnerUser


def partner_of_membership(membership: Membership | None) -> Partner | None:
    """The partner company a partner-role membership belongs to (None for vendor staff)."""
    if membership is None:
        return None
    link = PartnerUser.objects.select_related("partner__program", "partner__tier").filter(membership=membership).first()
    return link.partner if link is not None else None
