from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "comptoir.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from comptoir.care.hybrid import check_dense_setting

        check_dense_setting()  # COMPTOIR_ASSISTANT_DENSE=on without the extra stops here, not at the first question
