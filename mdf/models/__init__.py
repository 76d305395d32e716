from .funds import Allocation, Fund

__all__ = ["Allocation", "Fund"]
