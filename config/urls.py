"""Top-level URLs: sign in/out, the admin (administrators only), and the apps."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.admin import admin_site
from core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin_site.urls),
    # Two-factor sign-in, Your account, password reset links and Staff sign-in (ADR 0011).
    path("", include("accounts.urls")),
    path("", include("meetings.urls")),
    path("", include("supervision.urls")),
    path("", include("transfers.urls")),
    path("", include("courts.urls")),
    path("", include("mappa.urls")),
    path("", include("alerts.urls")),
    path("", include("records.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("dashboards/kpis/", include("kpis.urls")),  # issue 21: the YJB's key performance indicators
    path("", include("retention.urls")),  # issue 19: retention and erasure
    path("", include("outcomes.urls")),  # issue 21: the KPI facts (circumstances, the board)
    path("service-import/", include("onboarding.urls")),  # issue 22: bringing a service in
    path("", include("cases.urls")),
]

admin.site = admin_site
handler500 = "core.health.server_error"
