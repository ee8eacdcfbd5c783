from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lokalkompas.front import views
from lokalkompas.front.views import api_pages

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
    path("maal/nyt/", views.goal_new, name="goal_new"),
    path("maal/<int:goal_id>/", views.goal_detail, name="goal"),
    path("maal/<int:goal_id>/rediger/", views.goal_edit, name="goal_edit"),
    path("maal/<int:goal_id>/slet/", views.goal_delete, name="goal_delete"),
    path("maal/<int:goal_id>/historik/", views.goal_history_page, name="goal_history"),
    path("maal/<int:goal_id>/kommentar/", views.comment_add, name="comment_add"),
    path("maal/<int:goal_id>/handling/ny/", views.action_form, name="action_new"),
    path("maal/<int:goal_id>/handling/<int:action_id>/", views.action_form, name="action_edit"),
    path("maal/<int:goal_id>/handling/<int:action_id>/slet/", views.action_delete, name="action_delete"),
    path("brugere/", views.members, name="members"),
    path("brugere/<int:membership_id>/rolle/", views.member_role, name="member_role"),
    path("brugere/<int:membership_id>/fjern/", views.member_remove, name="member_remove"),
    path("data/", views.data_page, name="data"),
    path("data/skabelon/<slug:template_id>.<slug:extension>", views.template_download, name="template"),
    path("data/upload/<int:upload_id>/", views.upload_preview, name="upload_preview"),
    path("data/upload/<int:upload_id>/bekraeft/", views.upload_confirm, name="upload_confirm"),
    path("data/upload/<int:upload_id>/kasser/", views.upload_discard, name="upload_discard"),
    path("data/udgave/<int:vintage_id>/", views.vintage_page, name="vintage"),
    path("oekonomi/", views.economy, name="economy"),
    path("oekonomi/demografi/", views.demography, name="demography"),
    path("oekonomi/<slug:area_id>/", views.economy_area, name="economy_area"),
    path("beslutninger/", views.decisions, name="decisions"),
    path("beslutninger/ny/", views.decision_form, name="decision_new"),
    path("beslutninger/<int:decision_id>/", views.decision_form, name="decision_edit"),
    path("beslutninger/<int:decision_id>/slet/", views.decision_delete, name="decision_delete"),
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
    path("om/api/", api_pages.api_docs, name="api_docs"),
    path("konto/api-noegler/", api_pages.api_tokens, name="api_tokens"),
    path("konto/api-noegler/<int:token_id>/tilbagekald/", api_pages.api_token_revoke, name="api_token_revoke"),
]
