from django.apps import AppConfig


class PspSandboxConfig(AppConfig):
    """A fake payment service provider that behaves like a real one (there is no network here)."""

    name = "comptoir.psp_sandbox"
    label = "psp_sandbox"
    default_auto_field = "django.db.models.BigAutoField"
