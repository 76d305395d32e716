"""The content app's training: navigation, and the entries of partners' and incentives' registries (run from
ContentConfig.ready())."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from incentives.event_kinds import EventKind, register_event_kind
    from partners.metrics import Metric, Unit, register_metric
    from partners.step_kinds import StepKind, register_step_kind
    from prm.portal.navigation import NavItem, register_nav_item

    from ..training_feeds import (
        CERTIFICATION_EARNED,
        CERTIFIED_REPS,
        COMPLETE_COURSE,
        COURSE_COMPLETED,
        certification_earned_events,
        certified_reps,
        course_completed_events,
        published_course_choices,
    )

    register_step_kind(
        StepKind(
            COMPLETE_COURSE,
            _("Complete a course"),
            subject_choices=published_course_choices,
        )
    )
    register_metric(
        Metric(
            CERTIFIED_REPS,
            _("Certified reps"),
            Unit.COUNT,
            certified_reps,
            _("People of the partner holding a certification (earned for the partner, not expired)."),
        )
    )
    register_event_kind(EventKind(COURSE_COMPLETED, _("Course completed"), source=course_completed_events))
    register_event_kind(EventKind(CERTIFICATION_EARNED, _("Certification earned"), source=certification_earned_events))
    register_nav_item(NavItem("training", _("Training"), "content:training-catalogue", "content.use", order=56))
    register_nav_item(
        NavItem("training.overview", _("Training"), "content:training-overview", "content.view_all", order=56)
    )
