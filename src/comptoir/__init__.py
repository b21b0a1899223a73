"""Comptoir: orders, after-sales and customer care for independent fashion brands."""
