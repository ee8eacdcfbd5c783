from django.conf import settings
from django.urls import include, path

from lokalkompas.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("lokalkompas.front.urls")),
]

if settings.OIDC_ENABLED:
    # Login through the municipality's identity provider: /oidc/authenticate/ and /oidc/callback/.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
