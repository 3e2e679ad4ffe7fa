from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import health, media, views
from .cache import public_page

# The admin's own login has no rate limit: it sends people to allauth's, which has.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    # No language prefix: a load balancer probes one fixed address.
    path("healthz", health.healthz, name="healthz"),
    # Files of archived revisions, for staff (see rvcu/storage.py).
    path("retired-media/<path:path>", media.retired_file, name="retired-media"),
]

urlpatterns += i18n_patterns(
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("accounts/", include("allauth.urls")),
    path("my/", views.DashboardView.as_view(), name="dashboard"),
    path("accessibility/", public_page(views.AccessibilityView.as_view()), name="accessibility"),
    path("", include("cities.urls")),
    path("", include("practices.urls")),
    path("", include("partnerships.urls")),
)

if settings.DEBUG:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            media.serve_media,
        ),
    ]
