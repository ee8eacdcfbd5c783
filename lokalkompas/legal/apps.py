from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "lokalkompas.legal"
    verbose_name = "Lovkrav"

    def ready(self) -> None:
        # Legal results that changed join "what changed since" (indicators.changes) through its hook.
        from lokalkompas.indicators.changes import CHANGE_SOURCES
        from lokalkompas.legal.service import rule_changes_since

        if rule_changes_since not in CHANGE_SOURCES:
            CHANGE_SOURCES.append(rule_changes_since)
