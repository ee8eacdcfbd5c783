from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("lokalkompas.front.urls")),
]

if settings.OIDC_ENABLED:
    # Login through the municipality's identity provider: /oidc/authenticate/ and /oidc/callback/.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
