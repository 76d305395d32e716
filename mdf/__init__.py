"""MDF: market development funds per period, allocations to partners, pre-approval requests, claims with
proof of performance, reimbursement through the incentives ledger, and ROI."""
