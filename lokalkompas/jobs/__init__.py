"""Background jobs started in the browser (a Statbank refresh, an issued brief's PDF and Word file), queued
with django-tasks' database backend and run by `lokalkompas worker` (docs/decisions/0019)."""
