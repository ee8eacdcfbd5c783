"""Political goals (mål): status computed from the data (issue 7)."""
