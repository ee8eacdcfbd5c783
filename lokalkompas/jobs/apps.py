from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lokalkompas.jobs"
    label = "jobs"
    verbose_name = "Baggrundsopgaver"
    default_auto_field = "django.db.models.BigAutoField"
