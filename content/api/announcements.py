"""API: /api/v1/announcements/. A partner's users list the live announcements meant for their company (pinned
first, `is_unread` for them; filters `unread`, `pinned`) and mark them read one by one or all at once; vendor staff
see every announcement with its state, audience and read count, and managers create, change, publish (now or at a
time) and unpublish them. 409 with `current_state` when the state does not allow the transition."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from partners.profile import PartnerType, Region
from prm.accounts.permissions import request_can, request_membership
from prm.api.permissions import HasCapability

from ..announcement_rules import AnnouncementState
from ..models import Announcement
from ..selectors import announcement_feed, announcements_visible_to, with_read_counts, with_state
from ..services import (
    announcement_create,
    announcement_mark_read,
    announcement_publish,
    announcement_unpublish,
    announcement_update,
    announcements_mark_all_read,
)

VIEW_ALL, MANAGE, USE = "content.view_all", "content.manage", "content.use"
STAFF_ONLY = (
    "state", "send_email", "emailed_at", "read_count",
    "visible_program_ids", "visible_tier_ids", "visible_types", "visible_regions", "created_at", "updated_at",
)  # fmt: skip


class SeesAnnouncements(BasePermission):
    def has_permission(self, request, view):
        return request_membership(request) is not None and (request_can(request, VIEW_ALL) or request_can(request, USE))


class AnnouncementFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="is_unread", help_text="Only the ones you have (not) read.")
    pinned = django_filters.BooleanFilter(field_name="is_pinned", help_text="Only pinned (or not pinned) ones.")

    class Meta:
        model = Announcement
        fields = ["unread", "pinned"]


class AnnouncementSerializer(serializers.ModelSerializer):
    is_unread = serializers.BooleanField(help_text="Whether you have not opened it yet.")
    body = serializers.CharField(help_text="Sanitised HTML.")
    state = serializers.ChoiceField(
        choices=[state.value for state in AnnouncementState],
        required=False,
        help_text="Vendor staff only: draft, scheduled, live or expired.",
    )
    read_count = serializers.IntegerField(required=False, help_text="Vendor staff only: how many people read it.")

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "is_pinned", "publish_at", "expire_at", "is_unread", *STAFF_ONLY]
        read_only_fields = fields
        extra_kwargs = {name: {"required": False, "help_text": "Vendor staff only."} for name in STAFF_ONLY[1:3]} | {
            name: {"required": False, "help_text": "Vendor staff only (empty: anyone)."} for name in STAFF_ONLY[4:8]
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not request_can(self.context["request"], VIEW_ALL):
            for name in STAFF_ONLY:
                data.pop(name, None)
        return data


class AnnouncementInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(
        help_text="HTML; anything outside the safe set (scripts, styles, handlers) is removed."
    )
    is_pinned = serializers.BooleanField(required=False, default=False)
    send_email = serializers.BooleanField(
        required=False, default=False, help_text="Email the audience once, when it goes live."
    )
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: a draft; a time to come: scheduled."
    )
    expire_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    visible_program_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    visible_tier_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    visible_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnerType.choices), required=False, default=list
    )
    visible_regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False, default=list
    )


class AnnouncementPatchSerializer(AnnouncementInputSerializer):
    """Only the fields sent change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class AnnouncementPublishSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Empty: now.")


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread.")


MANAGER_ACTIONS = {"create", "partial_update", "publish", "unpublish"}


class AnnouncementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Announcements: the live ones meant for a partner user's company, or every one for vendor staff."""

    queryset = Announcement.objects.none()
    serializer_class = AnnouncementSerializer
    filterset_class = AnnouncementFilterSet
    ordering_fields = ["publish_at", "created_at"]
    conflict_actions = {"publish", "unpublish"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in MANAGER_ACTIONS:
            return [HasCapability(MANAGE)()]
        return [SeesAnnouncements()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        feed = announcement_feed(self.request)
        return with_read_counts(feed) if request_can(self.request, VIEW_ALL) else feed

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_state(page)

    def get_object(self):
        return with_state([super().get_object()])[0]

    def _fresh(self, announcement, code=status.HTTP_200_OK):
        self.kwargs[self.lookup_field] = announcement.pk
        return Response(self.get_serializer(self.get_object()).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=AnnouncementInputSerializer, responses={201: AnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        """A draft, or scheduled/live with `publish_at` (content managers)."""
        created = announcement_create(actor=request.user, **self._input(AnnouncementInputSerializer))
        return self._fresh(created, status.HTTP_201_CREATED)

    @extend_schema(request=AnnouncementPatchSerializer, responses={200: AnnouncementSerializer})
    def partial_update(self, request, *args, **kwargs):
        found = self.get_object()
        values = self._input(AnnouncementPatchSerializer)
        return self._fresh(announcement_update(actor=request.user, announcement=found, **values))

    @extend_schema(request=AnnouncementPublishSerializer, responses={200: AnnouncementSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft or scheduled announcement now, or schedule it `at` a time (409 when live or expired)."""
        found = self.get_object()
        values = self._input(AnnouncementPublishSerializer)
        return self._fresh(announcement_publish(actor=request.user, announcement=found, at=values["at"]))

    @extend_schema(request=None, responses={200: AnnouncementSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Back to a draft (409 for a draft)."""
        found = self.get_object()
        return self._fresh(announcement_unpublish(actor=request.user, announcement=found))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark it read for you (again: no change)."""
        announcement_mark_read(user=request.user, announcement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every announcement you can see read."""
        marked = announcements_mark_all_read(user=request.user, announcements=announcements_visible_to(request))
        return Response({"marked": marked})


def register(router) -> None:
    """Add this area's viewsets to the content API router."""
    router.register("announcements", AnnouncementViewSet, basename="announcement")


urlpatterns: list = []
