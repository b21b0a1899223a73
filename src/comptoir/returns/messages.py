"""Shopper-facing messages of returns, in English and French."""

MESSAGES = {
    "returns_not_offered": {
        "en": "Returns are not declared online for this brand: please write to {email}.",
        "fr": "Les retours ne se déclarent pas en ligne pour cette marque : écrivez à {email}.",
    },
    "return_before_delivery": {
        "en": "This order has not been delivered yet: a return can be declared once you have received it.",
        "fr": "Cette commande n'a pas encore été livrée : un retour se déclare après réception.",
    },
    "return_items_required": {
        "en": "Choose at least one item to return.",
        "fr": "Choisissez au moins un article à retourner.",
    },
    "return_window_closed": {
        "en": "Returns must be declared within {days} days of receiving the order (last day: {deadline}).",
        "fr": "Un retour doit être déclaré dans les {days} jours suivant la réception (dernier jour : {deadline}).",
    },
    "unknown_return_reason": {
        "en": "Unknown return reason “{reason}”. Possible reasons: {reasons}.",
        "fr": "Motif de retour « {reason} » inconnu. Motifs possibles : {reasons}.",
    },
    "no_right_of_withdrawal": {
        "en": "Professional purchases carry no right of withdrawal: only non-compliant, damaged, defective or "
              "lost products can be returned (reasons: {reasons}).",
        "fr": "Les achats professionnels n'ouvrent pas de droit de rétractation : seuls les produits non conformes, "
              "endommagés, défectueux ou perdus peuvent être retournés (motifs : {reasons}).",
    },
    "defect_reported_too_late": {
        "en": "Defects must be reported within {hours} hours of receiving the product.",
        "fr": "Les défauts doivent être signalés dans les {hours} heures suivant la réception du produit.",
    },
    "item_already_returned": {
        "en": "This item has already been returned in full.",
        "fr": "Cet article a déjà été retourné en totalité.",
    },
    "return_quantity_exceeds_order": {
        "en": "Only {left} unit(s) of this item can still be returned.",
        "fr": "Il ne reste que {left} unité(s) de cet article à pouvoir être retournée(s).",
    },
    "return_sent_too_late": {
        "en": "The parcel had to be sent within {days} days of the request (by {deadline}): the items are refused.",
        "fr": "Le colis devait partir dans les {days} jours suivant la demande (au plus tard le {deadline}) : "
              "les articles sont refusés.",
    },
    "return_label_expired": {
        "en": "The return label could be downloaded for {days} days; it has expired. Please contact us.",
        "fr": "L'étiquette de retour était téléchargeable {days} jours ; elle a expiré. Contactez-nous.",
    },
    "return_label_not_available": {
        "en": "The return document is available once the return has been accepted.",
        "fr": "Le document de retour est disponible une fois le retour accepté.",
    },
    "store_drop_off_not_offered": {
        "en": "Returns cannot be dropped off in a store for this brand.",
        "fr": "Les retours ne peuvent pas être déposés en boutique pour cette marque.",
    },
    "unknown_store": {
        "en": "Unknown store “{store}”.",
        "fr": "Boutique « {store} » inconnue.",
    },
    "refund_choice_not_offered": {
        "en": "Refunds go to the original payment method.",
        "fr": "Le remboursement se fait sur le moyen de paiement d'origine.",
    },
    "guest_declaration_not_offered": {
        "en": "Please sign in to declare a return, or contact customer care at {email}.",
        "fr": "Connectez-vous pour déclarer un retour, ou contactez le service client à {email}.",
    },
    "return_lookup_failed": {
        "en": "We could not find an order with this number and e-mail address.",
        "fr": "Aucune commande ne correspond à ce numéro et à cette adresse e-mail.",
    },
    "unknown_refusal_reason": {
        "en": "Unknown refusal reason “{reason}”. Possible reasons: {reasons}.",
        "fr": "Motif de refus « {reason} » inconnu. Motifs possibles : {reasons}.",
    },
    "item_not_in_return": {
        "en": "Item {item} is not part of this return.",
        "fr": "L'article {item} ne fait pas partie de ce retour.",
    },
    "items_not_all_inspected": {
        "en": "Some items have not been inspected yet.",
        "fr": "Certains articles n'ont pas encore été contrôlés.",
    },
    "shipment_already_returned": {
        "en": "This parcel is already recorded as returned to sender.",
        "fr": "Ce colis est déjà enregistré comme retourné à l'expéditeur.",
    },
    "shipment_not_returnable": {
        "en": "Only a parcel that left the warehouse and was not delivered can come back to the sender.",
        "fr": "Seul un colis expédié et non livré peut revenir à l'expéditeur.",
    },
    "returned_to_sender_not_offered": {
        "en": "This brand has no automatic refund for parcels returned to sender.",
        "fr": "Cette marque ne rembourse pas automatiquement les colis retournés à l'expéditeur.",
    },
    "postage_not_reimbursed": {
        "en": "This return's postage is not reimbursed: only a return sent from where the prepaid label does not "
              "reach has its postage reimbursed.",
        "fr": "Les frais d'envoi de ce retour ne sont pas remboursés : seuls les retours envoyés d'un pays que "
              "l'étiquette prépayée ne dessert pas le sont.",
    },
    "too_many_photos": {
        "en": "An item can have at most {limit} inspection photos.",
        "fr": "Un article peut avoir au plus {limit} photos de contrôle.",
    },
    "photo_after_inspection": {
        "en": "Photos are added while the item is being inspected, before the return is refunded or closed.",
        "fr": "Les photos s'ajoutent pendant le contrôle, avant le remboursement ou la clôture du retour.",
    },
    # Refusal reasons that apply to every brand (not in a preset list).
    "refusal_sent_too_late": {"en": "Sent after the return period", "fr": "Envoyé après le délai de retour"},
    "refusal_not_received": {"en": "Not in the parcel", "fr": "Absent du colis"},
}
