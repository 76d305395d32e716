"""Deals: the opportunity pipeline (registrations with conflict detection and protection, leads the
vendor passes to partners) and the booked revenue (sale records) incentives and tiers are computed from."""
