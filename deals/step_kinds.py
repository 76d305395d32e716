"""The onboarding step kind this app completes (registered with partners' step-kind registry)."""

REGISTER_DEAL = "register_deal"
