"""Partners: who the vendor's partner companies are, how they apply and onboard, and which
program tier each sits in (profiles, people, programs, agreements, checklists, tiers, plans)."""
