from django.apps import AppConfig


class DiscountsConfig(AppConfig):
    name = "comptoir.discounts"
    label = "discounts"
    default_auto_field = "django.db.models.BigAutoField"
