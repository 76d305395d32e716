"""API: training.

- `/api/v1/courses/`: the courses the caller may take (partner users: published and meant for their company; the
  vendor's staff: all, drafts too) with their lessons and quiz. Which choices are correct is shown only to those
  who manage content; everyone else learns it from an attempt's result. Managers create, change, publish and
  unpublish courses, and write their lessons and questions (`training_authoring`).
- `/api/v1/courses/{id}/attempts/`: POST answers `{question id: [choice ids]}` → 201 with the score, whether it
  passed, which questions were right and the certification earned; `Idempotency-Key` honoured. GET: the caller's
  own attempts at the course (the vendor's staff: everyone's).
- `/api/v1/certifications/`: partner admins see their company's, reps their own, the vendor's staff all; filters
  `status`, `course`, `partner`, `expiring_before`.
"""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from prm.accounts.permissions import request_can, request_membership
from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.api.permissions import HasCapability

from ..models import Attempt, Certification, Choice, Course, Lesson, LessonKind, Question, Stage
from ..selectors import (
    attempts_visible_to,
    certifications_visible_to,
    courses_visible_to,
    request_training_partner,
)
from ..services import attempt_submit, course_create, course_publish, course_unpublish, course_update

VIEW_ALL, USE, MANAGE = "content.view_all", "content.use", "content.manage"


class TakesTraining(BasePermission):
    """Partner users (courses meant for their company) and the vendor's staff (every course)."""

    def has_permission(self, request, view):
        return request_membership(request) is not None and (request_can(request, USE) or request_can(request, VIEW_ALL))


class TrainingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class QuizChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "text"]
        read_only_fields = fields


class QuizChoiceWithAnswerSerializer(QuizChoiceSerializer):
    class Meta(QuizChoiceSerializer.Meta):
        fields = ["id", "text", "is_correct"]
        read_only_fields = fields


class QuizQuestionSerializer(serializers.ModelSerializer):
    choices = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "position", "text", "kind", "choices"]
        read_only_fields = fields

    @extend_schema_field(QuizChoiceWithAnswerSerializer(many=True))
    def get_choices(self, question):
        """`is_correct` only for content managers."""
        manager = request_can(self.context["request"], MANAGE)
        return (QuizChoiceWithAnswerSerializer if manager else QuizChoiceSerializer)(
            question.choices.all(), many=True
        ).data


class LessonSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField(help_text="The authorised download of a file lesson.")

    class Meta:
        model = Lesson
        fields = ["id", "position", "title", "kind", "body", "url", "minutes", "original_name", "size", "file_url"]
        read_only_fields = fields

    def get_file_url(self, lesson) -> str | None:
        if lesson.kind != LessonKind.FILE:
            return None
        return reverse("content:training-lesson-file", args=[lesson.pk])


class CourseSerializer(serializers.ModelSerializer):
    lessons = LessonSerializer(many=True, read_only=True)
    questions = QuizQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "summary",
            "language",
            "stage",
            "pass_mark",
            "certification_title",
            "certification_months",
            "is_published",
            "position",
            "visible_program_ids",
            "visible_tier_ids",
            "visible_types",
            "visible_regions",
            "lessons",
            "questions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CourseInputSerializer(serializers.ModelSerializer):
    """A course's settings (the services check the restrictions and, for a published course, the quiz)."""

    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)

    class Meta:
        model = Course
        fields = [
            "title",
            "summary",
            "language",
            "stage",
            "pass_mark",
            "certification_title",
            "certification_months",
            "position",
            "visible_program_ids",
            "visible_tier_ids",
            "visible_types",
            "visible_regions",
        ]
        extra_kwargs = {"title": {"validators": []}}


class CoursePatchSerializer(CourseInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CourseFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label=None)
    language = django_filters.CharFilter()
    is_published = django_filters.BooleanFilter()

    class Meta:
        model = Course
        fields = ["stage", "language", "is_published"]


MANAGER_ACTIONS = {"create", "partial_update", "publish", "unpublish"}


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Courses with their lessons and quiz, as the caller may take them."""

    queryset = Course.objects.none()
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    ordering_fields = ["position", "title", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in MANAGER_ACTIONS:
            return [HasCapability(MANAGE)()]
        return [TakesTraining()]

    def get_queryset(self):
        return courses_visible_to(self.request).prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("position", "pk")),
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
                ),
            ),
        )

    def _fresh(self, course, code=status.HTTP_200_OK):
        found = self.get_queryset().get(pk=course.pk)
        return Response(CourseSerializer(found, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=CourseInputSerializer, responses={201: CourseSerializer})
    def create(self, request, *args, **kwargs):
        """A draft course; add lessons (`…/lessons/`) and questions (`…/questions/`), then publish it."""
        return self._fresh(course_create(actor=request.user, **self._input(CourseInputSerializer)), 201)

    @extend_schema(request=CoursePatchSerializer, responses={200: CourseSerializer})
    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        return self._fresh(course_update(actor=request.user, course=course, **self._input(CoursePatchSerializer)))

    @extend_schema(request=None, responses={200: CourseSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish: 400 with the reasons when it has no lesson, an invalid question, or a certification but no quiz."""
        return self._fresh(course_publish(actor=request.user, course=self.get_object()))

    @extend_schema(request=None, responses={200: CourseSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._fresh(course_unpublish(actor=request.user, course=self.get_object()))


class CertificationSerializer(serializers.ModelSerializer):
    course = serializers.SerializerMethodField()
    partner = serializers.SerializerMethodField()
    holder = serializers.EmailField(source="user.email")
    certificate_url = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = [
            "id",
            "title",
            "code",
            "status",
            "course",
            "holder",
            "partner",
            "earned_at",
            "expires_at",
            "ended_at",
            "certificate_url",
        ]
        read_only_fields = fields

    @extend_schema_field(TrainingRefSerializer)
    def get_course(self, certification):
        return {"id": certification.course_id, "name": certification.course.title}

    @extend_schema_field(TrainingRefSerializer(allow_null=True))
    def get_partner(self, certification):
        partner = certification.partner
        return None if partner is None else {"id": partner.pk, "name": partner.name}

    def get_certificate_url(self, certification) -> str:
        return reverse("content:training-certificate", args=[certification.pk])


class AttemptSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email")
    partner = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id", "course", "user", "partner", "answers", "correct", "total", "score", "pass_mark", "passed",
            "submitted_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(TrainingRefSerializer(allow_null=True))
    def get_partner(self, attempt):
        partner = attempt.partner
        return None if partner is None else {"id": partner.pk, "name": partner.name}


class AttemptResultSerializer(AttemptSerializer):
    correct_questions = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the questions answered right."
    )
    certification = CertificationSerializer(allow_null=True, help_text="The certification earned, if any.")

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "correct_questions", "certification"]
        read_only_fields = fields


class AttemptInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="{question id: [choice ids]}: one id for a single-choice question, every right one for multiple.",
    )


class AttemptViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Quiz attempts at one course: submit answers, list your attempts (the vendor's staff: everyone's)."""

    queryset = Attempt.objects.none()
    serializer_class = AttemptSerializer
    permission_classes = [TakesTraining]
    conflict_actions = {"create"}
    ordering_fields = ["submitted_at", "score"]

    def _course(self) -> Course:
        return get_object_or_404(courses_visible_to(self.request), pk=self.kwargs["course_pk"])

    def get_queryset(self):
        return attempts_visible_to(self.request).filter(course=self._course())

    @extend_schema(
        request=AttemptInputSerializer,
        responses={201: AttemptResultSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Submit answers. 400 when a question is unanswered or an answer names another question's choices; 409 when
        the course has no quiz. Passing earns the course's certification (partner users only)."""
        course = self._course()
        serializer = AttemptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = attempt_submit(
            course=course,
            user=request.user,
            partner=request_training_partner(request),
            answers=serializer.validated_data["answers"],
        )
        attempt = result.attempt
        data = AttemptSerializer(attempt).data | {
            "correct_questions": sorted(result.correct_question_ids),
            "certification": CertificationSerializer(result.certification).data if result.certification else None,
        }
        return Response(data, status=status.HTTP_201_CREATED)


class CertificationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Certification.Status.choices, empty_label=None)
    course = django_filters.NumberFilter(field_name="course_id", help_text=_("Course id."))
    partner = django_filters.NumberFilter(field_name="partner_id", help_text=_("Partner id."))
    expiring_before = django_filters.IsoDateTimeFilter(
        field_name="expires_at", lookup_expr="lt", help_text=_("Expires before this moment (ISO 8601).")
    )

    class Meta:
        model = Certification
        fields = ["status", "course", "partner", "expiring_before"]


class CertificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certifications: a partner admin sees the company's, a rep their own, the vendor's staff every one."""

    queryset = Certification.objects.none()
    serializer_class = CertificationSerializer
    permission_classes = [TakesTraining]
    filterset_class = CertificationFilterSet
    ordering_fields = ["earned_at", "expires_at", "code"]

    def get_queryset(self):
        return certifications_visible_to(self.request)


def register(router) -> None:
    """Add this area's viewsets to the content API router."""
    from .training_authoring import CourseLessonViewSet, CourseQuestionViewSet  # it builds on this module's serializers

    router.register("courses", CourseViewSet, basename="course")
    router.register(r"courses/(?P<course_pk>[0-9]+)/lessons", CourseLessonViewSet, basename="course-lesson")
    router.register(r"courses/(?P<course_pk>[0-9]+)/questions", CourseQuestionViewSet, basename="course-question")
    router.register(r"courses/(?P<course_pk>[0-9]+)/attempts", AttemptViewSet, basename="course-attempt")
    router.register("certifications", CertificationViewSet, basename="certification")


urlpatterns: list = []
