"""Page words: the frame of every page (navigation, language, footer) and the error pages."""

TEXTS: dict[str, tuple[str, str]] = {  # key: (English, French)
    # Layout
    "skip": ("Skip to content", "Aller au contenu"),
    "shop": ("Shop", "Boutique"),
    "all_products": ("All products", "Tous les produits"),
    "help": ("Help", "Aide"),
    "account": ("Account", "Compte"),
    "cart": ("Bag", "Panier"),
    "language": ("Language", "Langue"),
    "lang_en": ("English", "English"),
    "lang_fr": ("Français", "Français"),
    "main_nav": ("Main navigation", "Navigation principale"),
    "contact_us": ("Contact us", "Nous contacter"),
    "all_brands": ("All brands", "Toutes les marques"),
    "footer_note": ("Prices include VAT for deliveries in the EU.", "Prix TTC pour les livraisons dans l'UE."),
    # Errors
    "error_title": ("Something went wrong", "Un problème est survenu"),
    "not_found_title": ("Page not found", "Page introuvable"),
    "go_home": ("Back to the shop", "Retour à la boutique"),
}
