from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "lokalkompas.indicators"
    verbose_name = "Indikatorer og data"
