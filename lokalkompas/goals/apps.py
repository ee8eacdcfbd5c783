from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "lokalkompas.goals"
    verbose_name = "Politiske mål"

    def ready(self) -> None:
        # Goals whose status changed join "what changed since" through the hook in indicators.changes.
        from lokalkompas.goals.service import goal_changes_since
        from lokalkompas.indicators.changes import CHANGE_SOURCES

        if goal_changes_since not in CHANGE_SOURCES:
            CHANGE_SOURCES.append(goal_changes_since)
