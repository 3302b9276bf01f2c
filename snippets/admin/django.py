from django.contrib import admin
from django.urls import path

from snippets.database.django_models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "price"]
    search_fields = ["name"]


urlpatterns = [
    path("", admin.site.urls),
]
