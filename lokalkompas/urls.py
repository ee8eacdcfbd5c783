from django.urls import include, path

urlpatterns = [
    path("", include("lokalkompas.front.urls")),
]
