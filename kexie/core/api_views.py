"""The base view of /api/v1/ (apart from kexie.core.api, which DRF's settings import while
rest_framework.views itself loads)."""

from rest_framework.views import APIView


class ScopedAPIView(APIView):
    """The base of every /api/v1/ view: `required_perms` ({"read": Perm, "write": Perm, or
    a method name}) is checked by ScopedPermission; lists are paginated the same way."""

    required_perms: dict = {}

    def context(self) -> dict:
        return {"request": self.request}

    def paginated(self, queryset, serializer_class):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(
            serializer_class(page, many=True, context=self.context()).data
        )
