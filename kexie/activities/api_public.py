"""/api/v1/events/: the public side of sign-up, for a mini-program or another site (no login).

The same rules as the public pages: only open sign-ups of approved activities exist (404
otherwise), sign-up is rate-limited per client address and per mobile (429), and a
`submission_key` (or an `Idempotency-Key` header) makes a repeated request one sign-up.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kexie.activities.services import signups as services
from kexie.core.middleware import client_ip

EVENTS = ["public sign-up"]


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="activity.pk")
    title = serializers.CharField(source="activity.title")
    kind = serializers.CharField(source="activity.kind.name")
    organizer = serializers.CharField(source="activity.organization.name")
    starts_at = serializers.DateTimeField(source="activity.starts_at")
    ends_at = serializers.DateTimeField(source="activity.ends_at")
    venue = serializers.CharField(source="activity.venue")
    address = serializers.CharField(source="activity.address")
    deadline = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    places_left = serializers.SerializerMethodField()
    accepting = serializers.SerializerMethodField()
    waitlist = serializers.BooleanField()
    asks_unit = serializers.BooleanField(source="ask_unit")
    requires_id_number = serializers.BooleanField(source="require_id_number")

    def get_places_left(self, obj) -> int:
        return services.places_left(obj)

    def get_accepting(self, obj) -> bool:
        return services.is_accepting(obj)


class SignupCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    mobile = serializers.CharField(max_length=20)
    unit = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    submission_key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class SignupOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(services.ticket_path(obj))


class PublicAPIView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class EventListAPI(PublicAPIView):
    @extend_schema(
        tags=EVENTS, responses=EventOutputSerializer(many=True), summary="Activities open for sign-up"
    )
    def get(self, request):
        rows = services.public_upcoming()[:100]
        return Response(EventOutputSerializer(rows, many=True).data)


class EventDetailAPI(PublicAPIView):
    @extend_schema(
        tags=EVENTS,
        responses={200: EventOutputSerializer, 404: OpenApiResponse(description="No open sign-up.")},
        summary="An activity open for sign-up",
    )
    def get(self, request, pk):
        return Response(EventOutputSerializer(services.public_settings_get(pk)).data)


class SignupCreateAPI(PublicAPIView):
    @extend_schema(
        tags=EVENTS,
        request=SignupCreateInputSerializer,
        responses={
            201: SignupOutputSerializer,
            400: OpenApiResponse(
                description="Invalid input, sign-up closed or full; the field at fault is named."
            ),
            404: OpenApiResponse(description="No open sign-up."),
            429: OpenApiResponse(description="Too many attempts from this address or for this mobile."),
        },
        summary="Sign up for an activity",
    )
    def post(self, request, pk):
        signup_settings = services.public_settings_get(pk)
        try:
            services.rate_check(ip=client_ip(request), mobile=str(request.data.get("mobile", ""))[:20])
        except services.RateLimited as error:
            return Response({"detail": str(error.message)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        data = SignupCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        signup = services.signup_create(
            activity=signup_settings.activity,
            data=services.SignupData(
                name=values["name"],
                mobile=values["mobile"],
                unit=values["unit"],
                id_number=values["id_number"],
                email=values["email"],
            ),
            submission_key=values["submission_key"] or request.headers.get("Idempotency-Key", ""),
        )
        return Response(
            SignupOutputSerializer(signup, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
