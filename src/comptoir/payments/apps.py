from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "comptoir.payments"
    label = "payments"
    default_auto_field = "django.db.models.BigAutoField"
