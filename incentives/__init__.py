"""Incentives: programs (rebates, SPIFs, points, revenue share, registration bonuses) computed on schedule
into an append-only ledger, payouts and statements, points and rewards, and leaderboards."""
