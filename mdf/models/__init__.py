from .claims import (
    APPROVED_CLAIM_STATUSES,
    OPEN_CLAIM_STATUSES,
    CampaignLead,
    ClaimAttachment,
    MdfClaim,
    MdfClaimStatus,
    MdfReminder,
    ProofKind,
)
from .funds import Allocation, Fund
from .requests import (
    APPROVED_REQUEST_STATUSES,
    EDITABLE_REQUEST_STATUSES,
    ActivityType,
    MdfRequest,
    MdfRequestStatus,
)

__all__ = [
    "APPROVED_CLAIM_STATUSES",
    "APPROVED_REQUEST_STATUSES",
    "EDITABLE_REQUEST_STATUSES",
    "OPEN_CLAIM_STATUSES",
    "ActivityType",
    "Allocation",
    "CampaignLead",
    "ClaimAttachment",
    "Fund",
    "MdfClaim",
    "MdfClaimStatus",
    "MdfReminder",
    "MdfRequest",
    "MdfRequestStatus",
    "ProofKind",
]
