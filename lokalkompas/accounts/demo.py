"""Demo users: one of each role in the demo municipalities, so a tester can sign in at once.

Only in demo mode (LOKALKOMPAS_ENV=development): a production installation never gets accounts with
passwords printed on a terminal. Every `demo load` gives them new random passwords, printed once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from lokalkompas.accounts.models import Membership
from lokalkompas.registry import revision

DEMO_DOMAIN = "demo.lokalkompas.invalid"
# (role, municipality code, display name)
DEMO_USERS = (
    ("analytiker", "751", "DEMO Analytiker, Aarhus"),
    ("politiker", "751", "DEMO Politiker, Aarhus"),
    ("administrator", "751", "DEMO Administrator, Aarhus"),
    ("analytiker", "101", "DEMO Analytiker, København"),
    ("politiker", "851", "DEMO Politiker, Aalborg"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    municipality: str


@transaction.atomic
def create_demo_users() -> list[DemoLogin]:
    """(Re)create the demo users with fresh passwords; returns what to print."""
    clear_demo_users()
    users = get_user_model()
    logins = []
    for role, code, name in DEMO_USERS:
        username = f"{role}-{code}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        user = users.objects.create_user(username, email=username, password=password, first_name=name)
        Membership.objects.create(user=user, geo_id=code, role=role)
        logins.append(DemoLogin(username, password, role, code))
    revision.bump()
    return logins


@transaction.atomic
def clear_demo_users() -> int:
    found = get_user_model().objects.filter(username__endswith=f"@{DEMO_DOMAIN}")
    for user in found:  # one by one, so the membership history records the removal
        for membership in Membership.objects.filter(user=user):
            membership.delete()
    count, _ = found.delete()
    return count
