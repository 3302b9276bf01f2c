import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.urls import include, path
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotFound, ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

# BOOKS_API_TOKEN is read in settings (django_settings.py): a missing one stops the server.

BOOKS = {
    1: {"id": 1, "title": "Dune", "year": 1965},
    2: {"id": 2, "title": "Neuromancer", "year": 1984},
    3: {"id": 3, "title": "Hyperion", "year": 1989},
}


class BookSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    # No control characters (DRF refuses a NUL itself): a title is shown to people.
    title = serializers.CharField(
        min_length=1,
        max_length=200,
        validators=[RegexValidator(r"\A[^\x00-\x1f\x7f-\x9f]*\Z", "No control characters.")],
    )
    year = serializers.IntegerField(min_value=1450, max_value=2100)


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:  # json.loads on [[[[... 100,000 deep; DRF catches ValueError only
            raise ParseError("JSON nested too deeply") from None


class FilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)


class BearerToken(BaseAuthentication):
    def authenticate(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":  # a scheme's name is case-insensitive (RFC 9110)
            return None
        if not secrets.compare_digest(token.encode(), settings.BOOKS_API_TOKEN.encode()):
            raise AuthenticationFailed("Invalid token")
        return (None, token)

    def authenticate_header(self, request):
        return "Bearer"  # makes a missing token a 401 (with WWW-Authenticate), not a 403


class ReadOrToken(BasePermission):
    def has_permission(self, request, view):
        return request.method in ("GET", "HEAD", "OPTIONS") or request.auth is not None


class Pagination(LimitOffsetPagination):
    default_limit = 10
    max_limit = 50

    def get_paginated_response(self, data):
        return Response({"count": self.count, "results": data})


class BookViewSet(viewsets.ViewSet):
    authentication_classes = [BearerToken]
    permission_classes = [ReadOrToken]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    lookup_value_regex = r"[0-9]+"

    def get_book(self, pk):
        # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
        if len(pk) > 18 or int(pk) not in BOOKS:
            raise NotFound("Book not found")
        return BOOKS[int(pk)]

    def list(self, request):
        query = FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        found = [b for b in BOOKS.values() if year is None or b["year"] == year]
        paginator = Pagination()
        return paginator.get_paginated_response(paginator.paginate_queryset(found, request))

    def create(self, request):
        serializer = BookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        book = {"id": max(BOOKS, default=0) + 1, **serializer.validated_data}
        BOOKS[book["id"]] = book
        return Response(book, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk):
        return Response(self.get_book(pk))

    def update(self, request, pk):
        book = self.get_book(pk)
        serializer = BookSerializer(book, data=request.data)
        serializer.is_valid(raise_exception=True)
        book.update(serializer.validated_data)
        return Response(book)

    def destroy(self, request, pk):
        del BOOKS[self.get_book(pk)["id"]]
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(trailing_slash=False)
router.register("books", BookViewSet, basename="book")

urlpatterns = [
    path("", include(router.urls)),
]
