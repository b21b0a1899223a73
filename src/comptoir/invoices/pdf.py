"""The PDF of an invoice or credit note (OG-ORD-06), rendered from its frozen snapshot with fpdf2.

One A4 layout: seller and document details at the top, billing and delivery addresses, the lines,
the VAT summary per rate beside the totals, the payment, the legal mentions, and a footer with the
seller's identity and page numbers. Texts and amounts are in the invoice's language.

Font: DejaVu Sans (Debian `fonts-dejavu-core`) so that "é", "€" and "’" print as such. Where it is
not installed the PDF falls back to the core Helvetica font, which only knows Latin-1: "€" then prints
as "EUR" and typographic marks as their ASCII look-alikes. The PDF stays complete and legal either way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_percent
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from comptoir.core.money import Money
from comptoir.invoices.messages import label
from comptoir.invoices.models import Invoice
from comptoir.invoices.snapshot import long_date

FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT = "DejaVu"
FALLBACK_FONT = "helvetica"
INK = (33, 37, 41)
MUTED = (107, 114, 128)
ACCENT = (31, 41, 55)
RULE = (209, 213, 219)
SHADE = (243, 244, 246)
MARGIN = 18
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
# What Helvetica (Latin-1) cannot print, and its closest look-alike.
_LATIN1_LOOKALIKES = str.maketrans({
    "€": "EUR", "’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...", "•": "*",
    "\u202f": " ", "\u2009": " ", "\u00a0": " ", "\u2212": "-",
})


@lru_cache(maxsize=1)
def unicode_font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, if installed."""
    for directory in FONT_DIRECTORIES:
        regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class InvoicePDF(FPDF):
    def __init__(self, invoice: Invoice, *, unicode_font: bool):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.invoice = invoice
        self.snapshot = invoice.snapshot
        self.language = invoice.language
        self.unicode_font = unicode_font
        self.family = FONT if unicode_font else FALLBACK_FONT
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=26)
        if unicode_font:
            regular, bold = unicode_font_files()
            self.add_font(FONT, "", str(regular))
            self.add_font(FONT, "B", str(bold))

    # --- small helpers -------------------------------------------------------------------------------

    def t(self, text: str) -> str:
        """Text as the font can print it."""
        if self.unicode_font:
            return text
        return text.translate(_LATIN1_LOOKALIKES).encode("latin-1", "replace").decode("latin-1")

    def label(self, key: str, **params) -> str:
        return self.t(label(key, self.language, **params))

    def vat_number_line(self, number: str) -> str:
        colon = " : " if self.language == "fr" else ": "  # French puts a space before the colon
        return f"{label('vat_number', self.language)}{colon}{number}"

    def money(self, amount_minor: int) -> str:
        return self.t(Money(amount_minor, self.invoice.currency).format(self.language))

    def rate(self, basis_points: int) -> str:
        locale = _LOCALES.get(self.language, "en_GB")
        pattern = "#,##0.##\u202f%" if self.language == "fr" else "#,##0.##%"  # "20 %" in French, "20%" in English
        return self.t(format_percent(Decimal(basis_points) / 10000, format=pattern, locale=locale))

    def day(self, iso_day: str) -> str:
        return self.t(long_date(date.fromisoformat(iso_day), self.language))

    def style(self, size: float, *, bold: bool = False, colour=INK):
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def header(self):
        self.set_fill_color(*ACCENT)
        self.rect(0, 0, self.w, 3, style="F")
        self.set_y(MARGIN)

    def footer(self):
        seller = self.snapshot["seller"]
        registration = []
        if seller["vat_number"]:
            registration.append(f"{label('vat_number', self.language)} {seller['vat_number']}")
        if seller["siren"]:
            registration.append(f"SIREN {seller['siren']}")
        self.set_y(-19)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2.5)
        self.style(7, colour=MUTED)
        for text in (f"{seller['legal_name']} · {', '.join(seller['address_lines'])}", " · ".join(registration)):
            self.cell(self.epw - 30, 3.6, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(self.w - MARGIN - 30, -16.5)
        self.cell(30, 3.6, self.label("page", page=self.page_no(), pages="{nb}"), align="R")

    # --- blocks ---------------------------------------------------------------------------------------

    def header_block(self):
        seller, order = self.snapshot["seller"], self.snapshot["order"]
        title = self.label("credit_note" if self.invoice.is_credit_note else "invoice")
        top = self.get_y()
        self.style(18, bold=True, colour=ACCENT)
        self.cell(100, 9, self.t(seller["brand_name"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.style(8.5, colour=MUTED)
        contact = " · ".join(part for part in (seller["email"], seller["phone"]) if part)
        for line in [seller["legal_name"], *seller["address_lines"], contact]:
            self.cell(100, 4.2, self.t(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if seller["vat_number"]:
            self.cell(100, 4.2, self.t(self.vat_number_line(seller["vat_number"])),
                      new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        left_bottom = self.get_y()

        details = [(self.label("number"), self.invoice.number), (self.label("date"), self.day(self.snapshot["issued_on"])),
                   (self.label("order"), order["number"]), (self.label("order_date"), self.day(order["placed_on"]))]
        if self.invoice.is_credit_note:
            credited = self.snapshot["credited_invoice"]
            details += [(self.label("refers_to"), credited["number"]),
                        (self.label("credited_invoice_date"), self.day(credited["issued_on"]))]
        self.set_xy(self.w - MARGIN - 80, top)
        self.style(22, bold=True, colour=ACCENT)
        self.cell(80, 11, title.upper(), align="R", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.ln(1)
        for key, value in details:
            self.set_x(self.w - MARGIN - 80)
            self.style(8.5, colour=MUTED)
            self.cell(36, 5, key, align="R")
            self.style(9, bold=True)
            self.cell(44, 5, self.t(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(left_bottom, self.get_y()) + 8)

    def addresses_block(self):
        buyer = self.snapshot["buyer"]
        width = (self.epw - 8) / 2
        top = self.get_y()
        bottoms = []
        company, vat_number = buyer.get("company", ""), buyer.get("vat_number", "")
        billed = [buyer["name"]] if company else []
        billed += buyer["address_lines"]
        if vat_number:
            billed.append(self.vat_number_line(vat_number))
        blocks = [("billed_to", company or buyer["name"], [*billed, buyer["email"]])]
        if buyer["delivery_address_lines"]:  # none for e-gift cards only
            blocks.append(("delivered_to", buyer["delivery_name"], buyer["delivery_address_lines"]))
        for index, (key, name, lines) in enumerate(blocks):
            x = MARGIN + index * (width + 8)
            self.set_fill_color(*SHADE)
            self.rect(x, top, width, 38, style="F")
            self.set_xy(x + 4, top + 3)
            self.style(7.5, bold=True, colour=MUTED)
            self.cell(width - 8, 4, self.label(key).upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.style(10, bold=True)
            self.cell(width - 8, 5.5, self.t(name), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.style(9)
            for line in lines[:6]:
                self.cell(width - 8, 4.4, self.t(line), new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottoms.append(self.get_y())
        self.set_y(max(top + 38, *bottoms) + 8)

    def lines_block(self):
        headings = [self.label("description"), self.label("quantity"), self.label("unit_price_excl_vat"),
                    self.label("vat_rate"), self.label("total_excl_vat")]
        self.style(9)
        self.set_draw_color(*RULE)
        heading_style = FontFace(family=self.family, emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT, size_pt=8)
        with self.table(col_widths=(76, 12, 34, 18, 34), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                        headings_style=heading_style, borders_layout="HORIZONTAL_LINES", line_height=5.2,
                        padding=(1.6, 2), cell_fill_color=(250, 250, 251), cell_fill_mode="ROWS",
                        first_row_as_headings=True) as table:
            table.row(headings)
            for line in self.snapshot["lines"]:
                description = self.t(line["description"])
                if line.get("discount_excl_vat_minor"):
                    description += "\n" + self.label("discount", amount=self.money(-abs(line["discount_excl_vat_minor"])))
                if line["sku"]:
                    description += f"\n{self.label('reference')} {self.t(line['sku'])}"
                table.row([description, str(line["quantity"]), self.money(line["unit_price_excl_vat_minor"]),
                           self.rate(line["vat_rate_basis_points"]), self.money(line["total_excl_vat_minor"])])
        self.ln(6)

    def totals_block(self):
        # The VAT summary and the totals stay together, on the page of the last lines when they fit.
        if self.get_y() + 24 + 5.5 * len(self.snapshot["vat_per_rate"]) > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        # VAT per rate, on the left.
        self.style(8.5, bold=True, colour=MUTED)
        self.cell(84, 5, self.label("vat_summary").upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.style(8.5, bold=True)
        for text, width, align in ((self.label("rate"), 20, "L"), (self.label("base"), 32, "R"), (self.label("vat"), 32, "R")):
            self.cell(width, 6, text, border="B", align=align)
        self.ln(6)
        self.style(9)
        for row in self.snapshot["vat_per_rate"]:
            self.cell(20, 5.5, self.rate(row["rate_basis_points"]))
            self.cell(32, 5.5, self.money(row["base_minor"]), align="R")
            self.cell(32, 5.5, self.money(row["vat_minor"]), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        left_bottom = self.get_y()

        # Totals, on the right.
        totals = self.snapshot["totals"]
        x = self.w - MARGIN - 74
        self.set_xy(x, top)
        for key, amount in (("total_excl_vat", totals["excl_vat_minor"]), ("vat", totals["vat_minor"])):
            self.set_x(x)
            self.style(9, colour=MUTED)
            self.cell(40, 6, self.label(key))
            self.style(9.5)
            self.cell(34, 6, self.money(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(x)
        self.set_fill_color(*ACCENT)
        self.style(11, bold=True, colour=(255, 255, 255))
        self.cell(40, 9, f" {self.label('total_incl_vat')}", fill=True)
        self.cell(34, 9, f"{self.money(totals['incl_vat_minor'])} ", fill=True, align="R", new_x=XPos.LMARGIN,
                  new_y=YPos.NEXT)
        self.set_y(max(left_bottom, self.get_y()) + 8)

    def notes_block(self):
        sections = []
        if self.invoice.is_credit_note and self.snapshot.get("reason"):
            sections.append((self.label("reason"), self.t(self.snapshot["reason"])))
        if self.snapshot.get("payment"):
            sections.append((self.label("payment"), self.t(self.snapshot["payment"])))
        for title, text in sections:
            self.style(8.5, bold=True, colour=MUTED)
            self.cell(0, 5, title.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.style(9)
            self.multi_cell(0, 4.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(3)
        self.ln(2)
        self.style(7.5, colour=MUTED)
        for mention in self.snapshot.get("mentions", []):
            self.multi_cell(0, 3.8, self.t(mention), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)


def render_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF. Deterministic for one invoice: its metadata date is the issue instant."""
    pdf = InvoicePDF(invoice, unicode_font=unicode_font_files() is not None)
    title = label("credit_note" if invoice.is_credit_note else "invoice", invoice.language)
    pdf.set_title(invoice.number)
    pdf.set_subject(pdf.t(f"{title} {invoice.number}"))
    pdf.set_author(pdf.t(invoice.snapshot["seller"]["legal_name"]))
    pdf.set_creator("Comptoir")
    pdf.set_lang(invoice.language)
    pdf.set_creation_date(invoice.issued_at)
    pdf.add_page()
    pdf.header_block()
    pdf.addresses_block()
    pdf.lines_block()
    pdf.totals_block()
    pdf.notes_block()
    return bytes(pdf.output())
