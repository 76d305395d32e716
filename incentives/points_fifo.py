"""The FIFO rule of points, shared by the expiry (services.points) and the balances (selectors.points).

Points arrive in lots: every positive points line except a refund (earning, true-up, adjustment). Points
leave through debits: every negative points line (redemption, expiry, a negative true-up, adjustment or
clawback), less the refunds (a refund gives back points a redemption took; it is not a new lot, so it cannot
extend their life). Debits consume the oldest lots first. A lot expires N months
(`IncentiveSettings.points_expiry_months`) after the day it was earned, so on day D

    to_expire = max(0, lots earned on or before D − N months − all debits so far)
"""

from datetime import date

from dateutil.relativedelta import relativedelta

# SQL conditions over a ledger row aliased `e` (of one recipient, unit 'points').
LOT = "(e.amount > 0 AND e.entry_type <> 'refund')"
DEBIT = "(e.amount < 0 OR e.entry_type = 'refund')"


def expiry_cutoff(today: date, months: int) -> date:
    """Lots earned on or before this day have expired by `today` (month ends clamp: 31 Mar − 1 month = 28/29 Feb)."""
    return today - relativedelta(months=months)
