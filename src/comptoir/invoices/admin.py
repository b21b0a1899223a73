"""Invoices and credit notes in the back office, read-only: issued documents are never edited (OG-ORD-06)."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin
from comptoir.core.money import Money
from comptoir.invoices.models import Invoice
from comptoir.invoices.pdf import render_pdf


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("number", "brand", "kind", "order", "issued_at", "total_excl_vat", "vat", "total", "pdf")
    list_filter = (BrandFilter, "kind")
    list_select_related = ("brand", "order")
    search_fields = ("number", "order__number")
    date_hierarchy = "issued_at"
    list_per_page = 50
    show_full_result_count = False
    fields = ("number", "brand", "kind", "order", "credited_invoice", "issued_at", "language", "total_excl_vat",
              "vat", "total", "pdf", "snapshot")
    readonly_fields = ("total_excl_vat", "vat", "total", "pdf")

    def get_urls(self):
        view = self.admin_site.admin_view(self.pdf_view)
        return [path("<int:invoice_id>/pdf/", view, name="invoices_invoice_pdf"), *super().get_urls()]

    def pdf_view(self, request, invoice_id: int):
        """The PDF as the shopper gets it, shown in the browser; only for the brands the staff member works for."""
        if not self.has_view_permission(request):
            raise Http404
        invoice = self.get_queryset(request).filter(pk=invoice_id).first()
        if invoice is None:
            raise Http404
        response = HttpResponse(render_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response

    @admin.display(description="PDF")
    def pdf(self, invoice):
        return format_html('<a href="{}">{}.pdf</a>', reverse("admin:invoices_invoice_pdf", args=[invoice.pk]),
                           invoice.number)

    @admin.display(description="total excl. VAT", ordering="total_excl_vat_minor")
    def total_excl_vat(self, invoice):
        return Money(invoice.total_excl_vat_minor, invoice.currency).format("en")

    @admin.display(description="VAT", ordering="vat_minor")
    def vat(self, invoice):
        return Money(invoice.vat_minor, invoice.currency).format("en")

    @admin.display(description="total", ordering="total_minor")
    def total(self, invoice):
        return Money(invoice.total_minor, invoice.currency).format("en")
