from django.contrib import admin
from django.urls import path

from snippets.auth.django_limit import limit_failed_logins
from snippets.database.django_models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "price"]
    search_fields = ["name"]


# The auth topic's limit on failed logins, for the admin's own log-in page too.
admin.site.login = limit_failed_logins(admin.site.login)

urlpatterns = [
    path("", admin.site.urls),
]
