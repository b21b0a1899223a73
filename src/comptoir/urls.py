from django.contrib import admin
from django.urls import path

from comptoir.api import api
from comptoir.web.views import home

admin.site.site_header = "Comptoir back office"
admin.site.site_title = "Comptoir"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
