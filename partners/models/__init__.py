from .applications import PartnerApplication
from .onboarding import OnboardingStep
from .partner import AgreementAcceptance, Partner, PartnerStatus, PartnerStatusChange, PartnerUser
from .plans import BusinessPlan, BusinessPlanGoal, QbrNote
from .programs import Agreement, ChecklistStepTemplate, Program, Tier, TierCriterion
from .tiers import TierChange, TierEvaluationRun

__all__ = [
    "Agreement",
    "AgreementAcceptance",
    "BusinessPlan",
    "BusinessPlanGoal",
    "ChecklistStepTemplate",
    "OnboardingStep",
    "Partner",
    "PartnerApplication",
    "PartnerStatus",
    "PartnerStatusChange",
    "PartnerUser",
    "Program",
    "QbrNote",
    "Tier",
    "TierChange",
    "TierCriterion",
    "TierEvaluationRun",
]
