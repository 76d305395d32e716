"""Demo data of the content app: libraries of every kind and visibility, courses with quizzes and certifications,
announcements."""

from . import announcements, library, training


def seed_content_demo(tenant, out) -> None:
    library.seed(tenant, out)
    training.seed(tenant, out)
    announcements.seed(tenant, out)
