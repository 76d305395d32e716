"""/api/v1/mdf/claims/ and their proof files at /api/v1/mdf/claims/{id}/attachments/.

Partner users claim the reimbursement of an approved request of their company (`Idempotency-Key` honoured),
change a draft or returned claim, attach and remove proof files, and submit; managers approve (in full or in
part), reject, return, or extend the claim window. 409 with `current_state` when the claim is not in a state the
action allows. Files are checked by their content (413 too large, 415 not an allowed type, 400 a CSV with bad
rows) and downloaded only through this API, as attachments; another partner's or tenant's file is a 404."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.files.responses import attachment_response

from ..filters import MdfClaimFilterSet
from ..models import ClaimAttachment, MdfClaim, ProofKind
from ..selectors import attachments_visible_to, claims_visible_to, requests_visible_to
from ..services import (
    claim_attachment_add,
    claim_attachment_remove,
    mdf_claim_approve,
    mdf_claim_create,
    mdf_claim_extend,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_claim_update,
    missing_proof,
)
from .common import (
    MONEY,
    MONEY_INPUT,
    TEXT_MAX,
    MdfActivityTypeRefSerializer,
    MdfApproveSerializer,
    MdfReasonSerializer,
    MdfRefSerializer,
    acting_partner,
    permissions_for,
)


# --- output ----------------------------------------------------------------------------------------------------
class ClaimAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", help_text="The uploader's file name, made safe.")
    content_type = serializers.CharField(help_text="The type found in the file's content.")
    download_url = serializers.SerializerMethodField(help_text="GET it to download the file (as an attachment).")

    class Meta:
        model = ClaimAttachment
        fields = ["id", "kind", "name", "content_type", "size", "sha256", "rows", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, attachment):
        return reverse(
            "mdf-api:mdf-claim-attachment-detail", kwargs={"claim_pk": attachment.claim_id, "pk": attachment.pk}
        )


class MdfClaimRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    campaign_code = serializers.CharField()
    activity_type = MdfActivityTypeRefSerializer()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    approved_amount = serializers.DecimalField(**MONEY, allow_null=True)


class MdfClaimSerializer(serializers.ModelSerializer):
    request = MdfClaimRequestSerializer(help_text="The pre-approval request claimed.")
    partner = MdfRefSerializer()
    fund = MdfRefSerializer(source="allocation.fund")
    currency = serializers.CharField(source="allocation.fund.currency")
    actual_cost = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(**MONEY, help_text="Claimed.")
    approved_amount = serializers.DecimalField(**MONEY, allow_null=True)
    due_on = serializers.DateField(help_text="The last day the claim can be submitted.")
    reimbursement = serializers.IntegerField(
        source="reimbursement_id", allow_null=True, help_text="The incentives ledger line paid (once approved)."
    )

    class Meta:
        model = MdfClaim
        fields = [
            "id",
            "request",
            "partner",
            "fund",
            "currency",
            "actual_cost",
            "amount",
            "approved_amount",
            "notes",
            "status",
            "due_on",
            "submitted_at",
            "review_due_at",
            "decided_at",
            "decision_reason",
            "reimbursement",
            "paid_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MdfClaimDetailSerializer(MdfClaimSerializer):
    attachments = ClaimAttachmentSerializer(many=True, source="attachment_rows")
    missing_proof = serializers.ListField(
        child=serializers.ChoiceField(choices=ProofKind.choices),
        source="missing_proof_kinds",
        help_text="Proof kinds the activity type requires that are not attached yet (submission needs none left).",
    )

    class Meta(MdfClaimSerializer.Meta):
        fields = [*MdfClaimSerializer.Meta.fields, "attachments", "missing_proof"]
        read_only_fields = fields


# --- input -----------------------------------------------------------------------------------------------------
class MdfClaimCreateSerializer(serializers.Serializer):
    request = serializers.IntegerField(help_text="Id of an approved request of your company.")
    actual_cost = serializers.DecimalField(**MONEY_INPUT, min_value=0, help_text="What the activity really cost.")
    amount = serializers.DecimalField(
        **MONEY_INPUT, help_text="Claimed: at most the tier's share of the actual cost, and the approved amount."
    )
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")

    def validate_request(self, pk):
        found = requests_visible_to(self.context["request"]).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Choose one of your company's approved requests."))
        return found


class MdfClaimPatchSerializer(serializers.Serializer):
    actual_cost = serializers.DecimalField(**MONEY_INPUT, min_value=0, required=False)
    amount = serializers.DecimalField(**MONEY_INPUT, required=False)
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class MdfClaimExtendSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="The new last day to submit (later than the current one).")
    reason = serializers.CharField(max_length=TEXT_MAX)


class ClaimAttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProofKind.choices, help_text="What the file proves.")
    file = serializers.FileField(
        help_text="PDF, PNG, JPEG, CSV or XLSX as the kind allows, judged by the content; at most 10 MB. "
        "Attendee and lead lists are CSV, checked row by row."
    )


# --- claims ----------------------------------------------------------------------------------------------------
PARTNER_ACTIONS = {"create", "partial_update", "submit"}
MANAGER_ACTIONS = {"approve", "reject", "return_", "extend"}


class MdfClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Claims: a partner user sees its company's, vendor staff all. The detail lists the proof files and what
    proof is still missing. Money as decimal strings with the fund's currency."""

    queryset = MdfClaim.objects.none()
    serializer_class = MdfClaimSerializer
    filterset_class = MdfClaimFilterSet
    ordering_fields = ["created_at", "submitted_at", "review_due_at", "due_on", "amount"]
    conflict_actions = {"create", "partial_update", "submit", *MANAGER_ACTIONS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return permissions_for(self.action, manager_actions=MANAGER_ACTIONS, partner_actions=PARTNER_ACTIONS)

    def get_queryset(self):
        return claims_visible_to(self.request)

    def _detail(self, claim, code=status.HTTP_200_OK):
        claim = self.get_queryset().get(pk=claim.pk)
        claim.attachment_rows = list(attachments_visible_to(self.request).filter(claim=claim))
        claim.missing_proof_kinds = missing_proof(claim)
        return Response(MdfClaimDetailSerializer(claim).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(responses={200: MdfClaimDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=MdfClaimCreateSerializer,
        responses={201: MdfClaimDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """A draft claim of an approved request (one per request); attach the proof, then submit it."""
        acting_partner(request)
        claim = mdf_claim_create(actor=request.user, **self._input(MdfClaimCreateSerializer))
        return self._detail(claim, status.HTTP_201_CREATED)

    @extend_schema(request=MdfClaimPatchSerializer, responses={200: MdfClaimDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change a draft or returned claim (409 otherwise)."""
        claim = self.get_object()
        return self._detail(mdf_claim_update(actor=request.user, claim=claim, **self._input(MdfClaimPatchSerializer)))

    @extend_schema(request=None, responses={200: MdfClaimDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send for review: within the claim window (409 `window_closed` after it), with the required proof."""
        claim = self.get_object()
        return self._detail(mdf_claim_submit(actor=request.user, claim=claim))

    @extend_schema(request=MdfApproveSerializer, responses={200: MdfClaimDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve in full, or a lower `amount` with a `reason`; posts the reimbursement to the ledger once."""
        claim = self.get_object()
        return self._detail(mdf_claim_approve(actor=request.user, claim=claim, **self._input(MdfApproveSerializer)))

    @extend_schema(request=MdfReasonSerializer, responses={200: MdfClaimDetailSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self.get_object()
        return self._detail(mdf_claim_reject(actor=request.user, claim=claim, **self._input(MdfReasonSerializer)))

    @extend_schema(request=MdfReasonSerializer, responses={200: MdfClaimDetailSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Send back to the partner for changes; it can be submitted again."""
        claim = self.get_object()
        return self._detail(mdf_claim_return(actor=request.user, claim=claim, **self._input(MdfReasonSerializer)))

    @extend_schema(request=MdfClaimExtendSerializer, responses={200: MdfClaimDetailSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Give the partner until `due_on` to submit a draft or returned claim."""
        claim = self.get_object()
        return self._detail(mdf_claim_extend(actor=request.user, claim=claim, **self._input(MdfClaimExtendSerializer)))


# --- attachments -----------------------------------------------------------------------------------------------
CLAIM_PARAMETER = OpenApiParameter("claim_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Claim id.")
DOWNLOAD = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment (its checked type).")


@extend_schema(parameters=[CLAIM_PARAMETER])
class ClaimAttachmentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A claim's proof files. Partner users upload (multipart `kind` + `file`) and remove them while the claim is
    a draft or returned (409 otherwise); GET on one downloads it."""

    queryset = ClaimAttachment.objects.none()
    serializer_class = ClaimAttachmentSerializer
    parser_classes = [MultiPartParser]
    filter_backends = []  # in upload order
    pagination_class = None  # a claim holds at most a few dozen files
    lookup_value_regex = "[0-9]+"
    conflict_actions = {"create", "destroy"}

    def get_permissions(self):
        return permissions_for(self.action, partner_actions={"create", "destroy"})

    def _claim(self) -> MdfClaim:
        claim = claims_visible_to(self.request).filter(pk=self.kwargs["claim_pk"]).first()
        if claim is None:
            raise Http404
        return claim

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClaimAttachment.objects.none()
        return attachments_visible_to(self.request).filter(claim_id=self.kwargs["claim_pk"])

    def list(self, request, *args, **kwargs):
        self._claim()
        return Response(ClaimAttachmentSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": ClaimAttachmentUploadSerializer}, responses={201: ClaimAttachmentSerializer}
    )
    def create(self, request, *args, **kwargs):
        claim = self._claim()
        serializer = ClaimAttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachment = claim_attachment_add(actor=request.user, claim=claim, kind=data["kind"], upload=data["file"])
        return Response(ClaimAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): DOWNLOAD})
    def retrieve(self, request, *args, **kwargs):
        """Download the file: `Content-Disposition: attachment`, its checked content type, `nosniff`."""
        attachment = self.get_object()
        return attachment_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )

    def perform_destroy(self, instance):
        claim_attachment_remove(actor=self.request.user, attachment=instance)
