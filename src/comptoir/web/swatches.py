"""How a product looks without photographs: its category's silhouette, tinted with its first colour.
The catalog names colours in words ("Cherry red", "Navy"); a word not listed gets a calm neutral."""

from __future__ import annotations

COLOURS = {
    "black": "#1f1f1f", "white": "#f4f1ea", "ecru": "#ece3cf", "cream": "#efe6d2", "ivory": "#f2ecdc",
    "navy": "#1f2a44", "blue": "#3d5a80", "sky": "#9cc3dd", "mid blue": "#4f6d8f", "light blue": "#a9c4dc",
    "indigo": "#2e3a5c", "red": "#a4262c", "cherry red": "#8e1c2b", "burgundy": "#5e1a24", "pink": "#e3b5b8",
    "rose": "#d99aa0", "beige": "#d8c3a5", "sand": "#d6c29c", "camel": "#b88a57", "khaki": "#8a8453",
    "olive": "#6b6b3a", "green": "#3f6b4f", "forest": "#2d4a3a", "grey": "#8d8d8d", "gray": "#8d8d8d",
    "charcoal": "#3a3a3a", "brown": "#6b4a33", "chocolate": "#4a3024", "tobacco": "#7a5230", "yellow": "#e2c35a",
    "mustard": "#c79a2e", "orange": "#d9793b", "purple": "#5d4a7a", "lilac": "#b8a6cf", "stripe": "#6f8fb5",
    "flowers": "#7d95c2", "gold": "#c9a84c", "silver": "#b9bcc2", "tan": "#b08457", "stone": "#bdb4a3",
    "cognac": "#9a5b2e", "taupe": "#8b7d70", "bordeaux": "#5e1a24", "natural": "#e6dcc8", "off white": "#f1ece1",
    "anthracite": "#34363a", "caramel": "#b07a45", "petrol": "#24505a", "sage": "#9aa78a", "powder": "#e8c9c4",
}
NEUTRAL = "#b9ad9b"


def colour_hex(name: str) -> str:
    """The hex colour of a colour name: the whole name, else its last known word ("Blue flowers" → flowers)."""
    words = (name or "").lower().replace("-", " ").split()
    whole = " ".join(words)
    if whole in COLOURS:
        return COLOURS[whole]
    for word in reversed(words):
        if word in COLOURS:
            return COLOURS[word]
    return NEUTRAL


SILHOUETTES = ("dress", "top", "trousers", "knit", "shoe", "card", "bag", "coat")
CATEGORY_WORDS = {
    "dress": "dress", "robe": "dress", "skirt": "dress", "jupe": "dress",
    "shirt": "top", "chemise": "top", "t-shirt": "top", "tee": "top", "top": "top", "blouse": "top",
    "trouser": "trousers", "pant": "trousers", "jean": "trousers", "chino": "trousers", "short": "trousers",
    "knit": "knit", "maille": "knit", "pull": "knit", "sweater": "knit", "jumper": "knit", "cardigan": "knit",
    "shoe": "shoe", "chaussure": "shoe", "sneaker": "shoe", "boot": "shoe", "sandal": "shoe", "loafer": "shoe",
    "gift": "card", "carte": "card", "bag": "bag", "sac": "bag", "accessor": "bag", "leather": "bag",
    "coat": "coat", "jacket": "coat", "veste": "coat", "manteau": "coat", "outerwear": "coat", "blazer": "coat",
}


def silhouette(category_code: str) -> str:
    """The drawing for a category code ("dresses", "t-shirts", "gift-cards"), "top" when unknown."""
    code = (category_code or "").lower()
    for word, shape in CATEGORY_WORDS.items():
        if word in code:
            return shape
    return "top"
