from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "lokalkompas.sources"
    verbose_name = "Datakilder"
