from .claims import AttachmentForm, ClaimApproveForm, ClaimForm, ExtendForm
from .requests import ReasonForm, RequestApproveForm, RequestForm

__all__ = [
    "AttachmentForm",
    "ClaimApproveForm",
    "ClaimForm",
    "ExtendForm",
    "ReasonForm",
    "RequestApproveForm",
    "RequestForm",
]
