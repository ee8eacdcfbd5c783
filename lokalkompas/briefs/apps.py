from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "lokalkompas.briefs"
    label = "briefs"
    verbose_name = "Drøftelsesoplæg"
    default_auto_field = "django.db.models.BigAutoField"
