"""Economy: budget follow-up with year-end forecasts and early warning (issue 9)."""
