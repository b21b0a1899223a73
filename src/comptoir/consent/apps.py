from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "comptoir.consent"
    label = "consent"
    verbose_name = "Consent and personal data"
    default_auto_field = "django.db.models.BigAutoField"
