"""Accounts: users, their role in a municipality, login (issue 7)."""
