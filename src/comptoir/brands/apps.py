from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "comptoir.brands"
    label = "brands"
    default_auto_field = "django.db.models.BigAutoField"
