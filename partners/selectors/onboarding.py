from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from ..models import OnboardingStep


def with_onboarding_progress(partners: QuerySet) -> QuerySet:
    """Annotate `required_steps`, `required_done` and `onboarding_progress` (whole percent) in the same query.

    Agrees with `rules.onboarding_progress`: integer division, and no required steps means 100.
    """
    required = Q(onboarding_steps__is_required=True)
    partners = partners.annotate(
        required_steps=Count("onboarding_steps", filter=required),
        required_done=Count("onboarding_steps", filter=required & Q(onboarding_steps__completed_at__isnull=False)),
    )
    return partners.annotate(
        onboarding_progress=Case(
            When(required_steps=0, then=Value(100)),
            default=F("required_done") * 100 / F("required_steps"),
            output_field=IntegerField(),
        )
    )


def onboarding_steps_of(partner) -> QuerySet:
    return OnboardingStep.objects.filter(partner=partner).select_related("completed_by").order_by("position", "id")
