from .funds import Allocation, Fund
from .requests import ActivityType, MdfRequest, MdfRequestStatus

__all__ = ["ActivityType", "Allocation", "Fund", "MdfRequest", "MdfRequestStatus"]
