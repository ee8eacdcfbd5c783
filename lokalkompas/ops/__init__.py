"""Operations on a whole installation: backup and restore (docs/decisions/0016)."""
