"""On PostgreSQL, every change to the content revision or the vintages notifies the channel the web
processes listen on (lokalkompas.api.watch, docs/decisions/0022). A statement-level trigger, so a load that
writes many vintages sends one notification per statement; PostgreSQL delivers it at commit, folds
identical ones of a transaction into one, and drops it on rollback. SQLite has no notifications: there
every API request reads the versions itself."""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CHANNEL = "lokalkompas_versions"  # lokalkompas.api.watch.CHANNEL; a migration keeps its own copy
TABLES = ("registry_contentrevision", "indicators_vintage")

CREATE = [
    "CREATE OR REPLACE FUNCTION lokalkompas_versions_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER lokalkompas_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION lokalkompas_versions_changed()"
        for table in TABLES
    ),
]
DROP = [
    *(f"DROP TRIGGER IF EXISTS lokalkompas_versions_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS lokalkompas_versions_changed()",
]


def _run(statements: list[str]) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_token_expiry"),
        ("registry", "0003_contentrevision"),
        ("indicators", "0003_observation_fewer_indexes"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
