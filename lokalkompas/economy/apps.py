from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "lokalkompas.economy"
    verbose_name = "Økonomi"
