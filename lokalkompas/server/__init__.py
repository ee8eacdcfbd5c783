"""Running Lokalkompas in production: `lokalkompas serve`, `/health`, structured logs (docs/decisions/0015)."""
