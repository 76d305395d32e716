from .funds import allocation_set, allocations_by_tier, fund_allocated, fund_create

__all__ = ["allocation_set", "allocations_by_tier", "fund_allocated", "fund_create"]
