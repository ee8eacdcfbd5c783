from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lokalkompas.registry"
    verbose_name = "Kommuneregister"
