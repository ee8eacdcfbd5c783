from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lokalkompas.accounts"
    verbose_name = "Brugere og roller"
