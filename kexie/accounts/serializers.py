"""Input and output shapes of the account API (/api/v1/me/)."""

from rest_framework import serializers

from .models import Membership


class MembershipOutputSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    is_current = serializers.SerializerMethodField(help_text="This is the membership your requests work in.")

    class Meta:
        model = Membership
        fields = (
            "id",
            "organization",
            "organization_name",
            "role",
            "role_display",
            "is_active",
            "is_current",
        )
        read_only_fields = fields

    def get_is_current(self, membership: Membership) -> bool:
        return membership.pk == self.context.get("current_membership_id")


class MeOutputSerializer(serializers.Serializer):
    """The caller and the membership (organization and role) their requests are scoped to."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    active_membership = MembershipOutputSerializer(allow_null=True)
    permissions = serializers.ListField(
        child=serializers.CharField(), help_text="What the active role may do."
    )
