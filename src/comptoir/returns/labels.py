"""The document a shopper prints for a return, as PDF (fpdf2): the RMA slip to put in the box
(OG-RET-01, AA-RET-02), the return slip (OP-RET-02) or the prepaid carrier label (AL-RET-02/03).
It shows the return and order numbers, the items, both addresses, the carrier and a Code 39 barcode of
the return number. Same font approach as invoices (DejaVu Sans where installed, else Latin-1 Helvetica)."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from comptoir.core.decisions import Decision
from comptoir.core.errors import DomainError
from comptoir.invoices.pdf import FALLBACK_FONT, FONT, _LATIN1_LOOKALIKES, unicode_font_files
from comptoir.returns import states
from comptoir.returns.emails import DOCUMENT_NAMES, reason_label
from comptoir.returns.models import ReturnRequest

MARGIN = 16
TEXTS = {
    "return": {"en": "Return", "fr": "Retour"},
    "order": {"en": "Order", "fr": "Commande"},
    "from": {"en": "From", "fr": "Expéditeur"},
    "to": {"en": "To", "fr": "Destinataire"},
    "carrier": {"en": "Carrier", "fr": "Transporteur"},
    "any_carrier": {"en": "Carrier of your choice", "fr": "Transporteur de votre choix"},
    "items": {"en": "Items returned", "fr": "Articles retournés"},
    "prepaid": {"en": "Postage paid by the brand", "fr": "Port payé par la marque"},
    "inside": {"en": "Put this slip inside the parcel.", "fr": "Glissez ce bon dans le colis."},
    "outside": {"en": "Stick this label on the outside of the parcel.",
                "fr": "Collez cette étiquette à l'extérieur du colis."},
    "store": {"en": "Bring the parcel to the store", "fr": "Déposez le colis en boutique"},
    "valid_until": {"en": "Valid until", "fr": "Valable jusqu'au"},
}


class Gone(DomainError):
    """A document that existed for a while and no longer does (AL-RET-03)."""

    status = 410


def check_label_downloadable(ret: ReturnRequest, now: datetime) -> Decision:
    """The document exists once the return is accepted, and a prepaid label only for its days (AL-RET-03)."""
    if not ret.label_kind or ret.status in (states.REQUESTED, *states.VOID) or ret.refund_without_return:
        return Decision.refuse("return_label_not_available", "OG-RET-01")
    if ret.label_expires_at and now >= ret.label_expires_at:
        days = ret.brand.policy_object.returns.label.downloadable_days
        return Decision.refuse("return_label_expired", "AL-RET-03", days=days)
    return Decision.allow()


def render_label(ret: ReturnRequest) -> bytes:
    language = ret.language
    policy = ret.brand.policy_object
    fonts = unicode_font_files()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    family = FONT if fonts else FALLBACK_FONT
    if fonts:
        pdf.add_font(FONT, "", str(fonts[0]))
        pdf.add_font(FONT, "B", str(fonts[1]))

    def t(text: str) -> str:
        return text if fonts else text.translate(_LATIN1_LOOKALIKES).encode("latin-1", "replace").decode("latin-1")

    def word(key: str) -> str:
        return t(TEXTS[key][language])

    def line(text: str, size: float = 10, bold: bool = False, height: float = 5.5):
        pdf.set_font(family, "B" if bold else "", size)
        pdf.cell(0, height, t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_title(ret.number)
    pdf.set_creator("Comptoir")
    pdf.set_creation_date(ret.approved_at or ret.declared_at)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_page()
    line(ret.brand.name, 16, bold=True, height=9)
    line(DOCUMENT_NAMES[ret.label_kind][language].capitalize(), 13, bold=True, height=8)
    line(f"{word('return')} {ret.number} · {word('order')} {ret.order.number}", 11)
    if ret.label_expires_at:
        line(f"{word('valid_until')} {ret.label_expires_at.astimezone(policy.tz).date().isoformat()}", 9)
    pdf.ln(3)
    pdf.code39(f"*{ret.number}*", x=MARGIN, y=pdf.get_y(), w=1.2, h=16)
    pdf.set_y(pdf.get_y() + 18)
    line(ret.number, 9)
    pdf.ln(4)
    address = ret.order.shipping_address or {}
    sender = [f"{address.get('first_name', '')} {address.get('last_name', '')}".strip(), address.get("line1", ""),
              address.get("line2", ""), f"{address.get('postal_code', '')} {address.get('city', '')}".strip(),
              address.get("country", "")]
    store = next((s for s in policy.stores if s.code == ret.store_code), None) if ret.store_code else None
    to = store or policy.seller
    recipient = [getattr(to, "name", None) or policy.seller.legal_name, to.address.line1, to.address.line2,
                 f"{to.address.postal_code} {to.address.city}", to.address.country]
    for title, rows in ((word("from"), sender), (word("to"), recipient)):
        line(title.upper(), 8, bold=True, height=5)
        for row in rows:
            if row:
                line(row, 10, height=5)
        pdf.ln(2)
    if ret.drop_off == "store":
        line(f"{word('store')}: {store.name if store else ret.store_code}", 10, bold=True)
    else:
        line(f"{word('carrier')}: {ret.carrier or word('any_carrier')}", 10, bold=True)
    if ret.label_kind == "prepaid_label":
        line(word("prepaid"), 10)
    line(word("outside") if ret.label_kind == "prepaid_label" else word("inside"), 9)
    pdf.ln(4)
    line(word("items").upper(), 8, bold=True, height=5)
    for item in ret.items.select_related("order_line").order_by("id"):
        name = item.order_line.product_name.get(language) or item.order_line.sku
        size = f" ({item.order_line.size})" if item.order_line.size else ""
        line(f"{item.quantity} × {name}{size} · {item.order_line.sku} · "
             f"{reason_label(policy, item.reason_code, language)}", 9, height=5)
    return bytes(pdf.output())
