"""API: training authoring, for content managers (`content.manage`) only.

- `/api/v1/courses/{course_id}/lessons/`: a course's lessons. POST adds one (JSON for an article or a video link;
  multipart with `file` for a file lesson, checked by content: 413/415), PATCH changes the fields sent (and takes
  a new `file`), DELETE removes one (409 for the last lesson of a published course); `…/lessons/reorder` puts
  them in the order given.
- `/api/v1/courses/{course_id}/questions/`: the quiz. POST adds a question with its `choices`, PATCH changes the
  fields sent and replaces the choices when they are sent, DELETE removes one; a published course's quiz must
  stay valid (400 with the reasons, nothing changed).

The rules are the services' (`content.services.training`); these views only read the input and render the result.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from prm.api.permissions import HasCapability

from ..models import Course, Lesson, LessonKind, Question, QuestionKind
from ..selectors import courses_visible_to
from ..services import (
    lesson_add,
    lesson_remove,
    lesson_update,
    lessons_reorder,
    question_add,
    question_remove,
    question_update,
)
from .training import MANAGE, LessonSerializer, QuizChoiceWithAnswerSerializer

COURSE_PARAMETER = OpenApiParameter("course_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Course id.")


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _CourseChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A course's lessons or questions: only in a course of the caller's tenant, and only that course's rows
    (another course's id is 404, like a missing one)."""

    filter_backends = []  # in course order
    pagination_class = None  # a course holds a few dozen lessons and questions at most
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [HasCapability(MANAGE)]

    def _course(self) -> Course:
        course = courses_visible_to(self.request).filter(pk=self.kwargs["course_pk"]).first()
        if course is None:
            raise Http404
        return course

    def get_queryset(self):
        rows = self.queryset.model.objects.order_by("position", "pk")
        if getattr(self, "swagger_fake_view", False):
            return rows.none()
        return rows.filter(course_id=self.kwargs["course_pk"])

    def list(self, request, *args, **kwargs):
        self._course()
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


# --- lessons -----------------------------------------------------------------------------------------------------
class TrainingLessonWriteSerializer(serializers.Serializer):
    """A new lesson; the service checks which fields its kind needs (an article's text, a video's link, a file)."""

    kind = serializers.ChoiceField(choices=LessonKind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, help_text="An article's text (HTML, sanitised).")
    url = serializers.CharField(required=False, allow_blank=True, help_text="A video lesson's link.")
    minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0, help_text="Default: last.")
    file = serializers.FileField(
        required=False, help_text="A file lesson's file (multipart): PDF, PPTX, PNG, JPEG or MP4, at most 50 MB."
    )


class TrainingLessonPatchSerializer(TrainingLessonWriteSerializer):
    """Any of the fields but the kind; a new `file` replaces a file lesson's file."""

    kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class TrainingLessonOrderSerializer(serializers.Serializer):
    lesson_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every lesson id of the course once, in the new order."
    )


LESSON_WRITE = {"application/json": TrainingLessonWriteSerializer, "multipart/form-data": TrainingLessonWriteSerializer}
LESSON_PATCH = {"application/json": TrainingLessonPatchSerializer, "multipart/form-data": TrainingLessonPatchSerializer}


@extend_schema(parameters=[COURSE_PARAMETER])
class CourseLessonViewSet(_CourseChildViewSet):
    """A course's lessons, written by content managers."""

    queryset = Lesson.objects.none()
    serializer_class = LessonSerializer
    parser_classes = [JSONParser, MultiPartParser]
    conflict_actions = {"destroy"}

    @extend_schema(request=LESSON_WRITE, responses={201: LessonSerializer})
    def create(self, request, *args, **kwargs):
        """Add a lesson at the end (or at `position`); 413/415 for a file too large or not of an accepted type."""
        course = self._course()
        data = _input(TrainingLessonWriteSerializer, request)
        lesson = lesson_add(
            actor=request.user,
            course=course,
            kind=data.pop("kind"),
            title=data.pop("title"),
            upload=data.pop("file", None),
            **data,
        )
        return Response(self.get_serializer(lesson).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LESSON_PATCH, responses={200: LessonSerializer})
    def partial_update(self, request, *args, **kwargs):
        lesson = self.get_object()
        data = _input(TrainingLessonPatchSerializer, request)
        lesson = lesson_update(actor=request.user, lesson=lesson, upload=data.pop("file", None), **data)
        return Response(self.get_serializer(lesson).data)

    def perform_destroy(self, instance):
        """409 when it is the last lesson of a published course."""
        lesson_remove(actor=self.request.user, lesson=instance)

    @extend_schema(request=TrainingLessonOrderSerializer, responses={200: LessonSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def reorder(self, request, *args, **kwargs):
        """Put the lessons in this order (400 unless it names each lesson of the course once)."""
        course = self._course()
        data = _input(TrainingLessonOrderSerializer, request)
        lessons = lessons_reorder(actor=request.user, course=course, lesson_ids=data["lesson_ids"])
        return Response(self.get_serializer(lessons, many=True).data)


# --- questions ---------------------------------------------------------------------------------------------------
class TrainingQuestionSerializer(serializers.ModelSerializer):
    """A quiz question as its managers see it: the explanation and which choices are correct."""

    choices = QuizChoiceWithAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "position", "text", "kind", "explanation", "choices"]
        read_only_fields = fields


class TrainingChoiceWriteSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    is_correct = serializers.BooleanField(default=False)


class TrainingQuestionWriteSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    explanation = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0, help_text="Default: last.")
    choices = TrainingChoiceWriteSerializer(
        many=True, required=False, help_text="The answer choices in order (a published course's quiz needs them)."
    )


class TrainingQuestionPatchSerializer(TrainingQuestionWriteSerializer):
    """Any of the fields; `choices`, when sent, replace the question's choices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def _choice_pairs(data: dict) -> list[tuple[str, bool]] | None:
    choices = data.pop("choices", None)
    return None if choices is None else [(choice["text"], choice["is_correct"]) for choice in choices]


@extend_schema(parameters=[COURSE_PARAMETER])
class CourseQuestionViewSet(_CourseChildViewSet):
    """A course's quiz questions with their choices, written by content managers."""

    queryset = Question.objects.none()
    serializer_class = TrainingQuestionSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("choices")

    def _fresh(self, question: Question, code=status.HTTP_200_OK) -> Response:
        question = Question.objects.prefetch_related("choices").get(pk=question.pk)
        return Response(self.get_serializer(question).data, status=code)

    @extend_schema(request=TrainingQuestionWriteSerializer, responses={201: TrainingQuestionSerializer})
    def create(self, request, *args, **kwargs):
        """Add a question at the end of the quiz (or at `position`); on a published course the quiz must stay valid."""
        course = self._course()
        data = _input(TrainingQuestionWriteSerializer, request)
        choices = _choice_pairs(data)
        question = question_add(
            actor=request.user, course=course, text=data.pop("text"), kind=data.pop("kind"), choices=choices, **data
        )
        return self._fresh(question, status.HTTP_201_CREATED)

    @extend_schema(request=TrainingQuestionPatchSerializer, responses={200: TrainingQuestionSerializer})
    def partial_update(self, request, *args, **kwargs):
        question = self.get_object()
        data = _input(TrainingQuestionPatchSerializer, request)
        choices = _choice_pairs(data)
        return self._fresh(question_update(actor=request.user, question=question, choices=choices, **data))

    def perform_destroy(self, instance):
        """400 when the published course's quiz would no longer be valid without it."""
        question_remove(actor=self.request.user, question=instance)
