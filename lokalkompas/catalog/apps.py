from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "lokalkompas.catalog"
    verbose_name = "Politikkatalog"
