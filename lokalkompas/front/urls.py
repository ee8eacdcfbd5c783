from django.urls import path

from lokalkompas.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommune/", views.choose_municipality, name="choose_municipality"),
    path("omraade/<slug:area_id>/", views.area, name="area"),
    path("kalender/", views.calendar, name="calendar"),
    path("om/", views.about, name="about"),
]
