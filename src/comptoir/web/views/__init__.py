"""Shopper pages, one module per page family; each view parses, calls one service, renders."""

from comptoir.web.views.home import home  # noqa: F401  (the front door, mounted by comptoir.urls)
