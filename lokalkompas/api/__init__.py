"""The open JSON API v1 (django-ninja): published data without a key, drafts with a municipality's token."""
