from django.contrib import admin
from django.urls import path

from snippets.auth.django_limit import limit_failed_logins
from snippets.database.django_models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "price"]
    search_fields = ["name"]

    def lookup_allowed(self, lookup, value, request):
        # The item list filters by any field in its URL (?name=...): a NUL would reach psycopg,
        # which refuses it (a 500 on PostgreSQL). A refused lookup is Django's 400.
        return "\x00" not in value and super().lookup_allowed(lookup, value, request)


# The auth topic's limit on failed logins, for the admin's own log-in page too.
admin.site.login = limit_failed_logins(admin.site.login)

urlpatterns = [
    path("", admin.site.urls),
]
