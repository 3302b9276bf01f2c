"""The guide's Django app: owns the models that topic snippets define."""

from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "demo_apps.django_app.guide"
    label = "guide"
    default_auto_field = "django.db.models.BigAutoField"
