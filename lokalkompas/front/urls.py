from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lokalkompas.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommune/", views.choose_municipality, name="choose_municipality"),
    path("omraade/<slug:area_id>/", views.area, name="area"),
    path("omraade/<slug:area_id>/indikatorer/", views.area_indicators, name="area_indicators"),
    path("indikator/<slug:indicator_id>/", views.indicator, name="indicator"),
    path("indikator/<slug:indicator_id>.csv", views.indicator_csv, name="indicator_csv"),
    path("indikator/<slug:indicator_id>.xlsx", views.indicator_xlsx, name="indicator_xlsx"),
    path("kalender/", views.calendar, name="calendar"),
    path("lovkrav/", views.legal, name="legal"),
    path("maal/", views.goals, name="goals"),
    path("kort/", views.map_view, name="map"),
    path("sammenlign/", views.compare, name="compare"),
    path("om/", views.about, name="about"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("sundhed/", views.health, name="health"),
    path("log-ind/", views.LoginView.as_view(template_name="front/login.html"), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "adgangskode/",
        auth_views.PasswordChangeView.as_view(
            template_name="front/password_change.html", success_url=reverse_lazy("front:password_changed")
        ),
        name="password_change",
    ),
    path(
        "adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(template_name="front/password_changed.html"),
        name="password_changed",
    ),
]
