from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "lokalkompas.front"
    verbose_name = "Websider"
