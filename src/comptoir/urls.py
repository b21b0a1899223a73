from django.contrib import admin
from django.urls import include, path

from comptoir.api import api
from comptoir.core import operations
from comptoir.web.views import home

admin.site.site_header = "Comptoir back office"
admin.site.site_title = "Comptoir"

# A database outage raised outside a view (session save, a middleware) answers 503, not 500.
handler500 = "comptoir.core.outage.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("health", operations.health, name="health"),  # probes: before the /<brand>/ pages
    path("ready", operations.ready, name="ready"),
    path("metrics", operations.metrics, name="metrics"),
    path("", include("comptoir.web.urls")),  # /<brand>/…: the shopper pages
]
