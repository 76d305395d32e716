from .claims import CampaignLead, ClaimAttachment, MdfClaim, MdfClaimStatus, MdfReminder, ProofKind
from .funds import Allocation, Fund
from .requests import ActivityType, MdfRequest, MdfRequestStatus

__all__ = [
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
