from __future__ import annotations

from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "lokalkompas.server"
    verbose_name = "Drift"
