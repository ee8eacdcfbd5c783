"""Helpers for page tests."""


def body(response) -> str:
    return response.content.decode()
