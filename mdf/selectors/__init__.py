from .balances import allocation_balance, allocation_balances, balance_total

__all__ = ["allocation_balance", "allocation_balances", "balance_total"]
