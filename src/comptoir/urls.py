from django.contrib import admin
from django.urls import path

from comptoir.api import api

admin.site.site_header = "Comptoir back office"
admin.site.site_title = "Comptoir"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
