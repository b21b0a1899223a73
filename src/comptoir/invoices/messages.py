"""Invoice texts in English and French: refusals (MESSAGES), and what the PDF and its mentions say (LABELS)."""

MESSAGES = {
    "invoice_not_available": {
        "en": "The invoice for this order is not available yet: it is issued once the order is confirmed.",
        "fr": "La facture de cette commande n'est pas encore disponible : elle est émise à la confirmation de la commande.",
    },
    "credit_exceeds_invoice": {
        "en": "This credit note would credit more than was invoiced ({what}).",
        "fr": "Cet avoir dépasserait le montant facturé ({what}).",
    },
    "nothing_to_credit": {
        "en": "A credit note needs at least one item or an amount of shipping to credit.",
        "fr": "Un avoir doit porter sur au moins un article ou des frais de port.",
    },
}

LABELS = {
    "invoice": {"en": "Invoice", "fr": "Facture"},
    "credit_note": {"en": "Credit note", "fr": "Avoir"},
    "number": {"en": "Number", "fr": "Numéro"},
    "date": {"en": "Date", "fr": "Date"},
    "order": {"en": "Order", "fr": "Commande"},
    "order_date": {"en": "Order date", "fr": "Date de commande"},
    "refers_to": {"en": "Credits invoice", "fr": "Facture d'origine"},
    "credited_invoice_date": {"en": "Invoice date", "fr": "Date de facture"},
    "reference": {"en": "Ref.", "fr": "Réf."},
    "seller": {"en": "Seller", "fr": "Vendeur"},
    "billed_to": {"en": "Billed to", "fr": "Facturé à"},
    "delivered_to": {"en": "Delivered to", "fr": "Livré à"},
    "vat_number": {"en": "VAT number", "fr": "N° TVA intracommunautaire"},
    "siren": {"en": "SIREN", "fr": "SIREN"},
    "description": {"en": "Description", "fr": "Désignation"},
    "quantity": {"en": "Qty", "fr": "Qté"},
    "unit_price_excl_vat": {"en": "Unit price excl. VAT", "fr": "Prix unitaire HT"},
    "vat_rate": {"en": "VAT", "fr": "TVA"},
    "total_excl_vat": {"en": "Total excl. VAT", "fr": "Total HT"},
    "vat_summary": {"en": "VAT summary", "fr": "Récapitulatif TVA"},
    "rate": {"en": "Rate", "fr": "Taux"},
    "base": {"en": "Taxable amount", "fr": "Base HT"},
    "vat": {"en": "VAT", "fr": "TVA"},
    "total_incl_vat": {"en": "Total incl. VAT", "fr": "Total TTC"},
    "total_due": {"en": "Total", "fr": "Total"},
    "payment": {"en": "Payment", "fr": "Règlement"},
    "reason": {"en": "Reason", "fr": "Motif"},
    "page": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
    "shipping": {"en": "Shipping — {method}", "fr": "Frais de port — {method}"},
    "size": {"en": "size {size}", "fr": "taille {size}"},
    "amounts_in": {"en": "Amounts in {currency}.", "fr": "Montants exprimés en {currency}."},
    # Mentions (art. 242 nonies A, annexe II CGI; Code de commerce L441-9 to L441-10).
    "export_exemption": {
        "en": "VAT exempt: goods exported outside the European Union, article 262 I of the French General Tax Code (CGI).",
        "fr": "Exonération de TVA, article 262 I du CGI : biens expédiés hors de l'Union européenne.",
    },
    "gift_card_out_of_scope": {
        "en": "E-gift cards are multi-purpose vouchers, outside the scope of VAT when sold: "
              "VAT is due on the goods they later pay for.",
        "fr": "Cartes cadeaux : bons à usage multiple, hors du champ de la TVA à leur vente ; "
              "la TVA est due sur les biens qu'elles servent à régler.",
    },
    "discount": {"en": "Discount {amount} excl. VAT", "fr": "Remise {amount} HT"},
    "duties_by_customer": {
        "en": "Import duties and taxes of the destination country are payable by the recipient on delivery.",
        "fr": "Les droits et taxes d'importation du pays de destination sont à la charge du destinataire, à la livraison.",
    },
    "late_payment": {
        "en": "Late payment: penalties at three times the French legal interest rate, plus a fixed recovery fee of "
              "€40 (French Commercial Code, articles L441-10 and D441-5). No discount for early payment.",
        "fr": "Retard de paiement : pénalités au taux de trois fois le taux d'intérêt légal et indemnité forfaitaire "
              "pour frais de recouvrement de 40 € (articles L441-10 et D441-5 du Code de commerce). "
              "Pas d'escompte pour paiement anticipé.",
    },
    "credits_invoice": {
        "en": "This credit note cancels, in part or in whole, invoice {number} of {date}.",
        "fr": "Cet avoir annule, en tout ou partie, la facture {number} du {date}.",
    },
    # Payment lines.
    "paid": {"en": "Paid by {method} on {date}.", "fr": "Réglée par {method} le {date}."},
    "authorised": {
        "en": "Paid by {method}: amount authorised on {date}, charged when the order ships.",
        "fr": "Réglée par {method} : montant autorisé le {date}, débité à l'expédition.",
    },
    "to_pay_by_transfer": {
        "en": "To be paid by bank transfer within {days} days, reference {reference}: {holder}, IBAN {iban}, BIC {bic}.",
        "fr": "À régler par virement sous {days} jours, référence {reference} : {holder}, IBAN {iban}, BIC {bic}.",
    },
    "payment_scheduled": {
        "en": "Payment by {method}, on the dates agreed at order.",
        "fr": "Règlement par {method}, aux échéances convenues à la commande.",
    },
    "refund_to_original": {
        "en": "Refunded by the original means of payment.",
        "fr": "Remboursé par le moyen de paiement d'origine.",
    },
}

PAYMENT_METHODS = {
    "card": {"en": "card", "fr": "carte bancaire"},
    "paypal": {"en": "PayPal", "fr": "PayPal"},
    "bank_transfer": {"en": "bank transfer", "fr": "virement"},
    "instalments_3": {"en": "card in 3 instalments", "fr": "carte en 3 fois"},
    "deferred_15": {"en": "card, deferred 15 days", "fr": "carte, paiement différé à 15 jours"},
    "deferred_30": {"en": "card, deferred 30 days", "fr": "carte, paiement différé à 30 jours"},
    "gift_card": {"en": "gift card", "fr": "carte cadeau"},
    "credit_note": {"en": "credit note", "fr": "avoir"},
}

CARD_NETWORKS = {"cb": "CB", "visa": "Visa", "mastercard": "Mastercard", "amex": "American Express"}


def label(key: str, language: str, **params) -> str:
    entry = LABELS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**params) if params else text
