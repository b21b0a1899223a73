"""Catalog and availability: unavailable codes, pre-orders, product sheets, the colour notice."""

from datetime import datetime
from zoneinfo import ZoneInfo

from factories import cart, order, stock_of

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)


def variants(api, brand: str, product: str, **kw) -> dict:
    reply = api.get(f"/brands/{brand}/products/{product}", now=MONDAY_10AM, **kw)
    assert reply.status == 200, reply
    return {v["sku"]: v for v in reply["variants"]}


def test_OG_STK_01_coming_soon_and_sold_out_are_two_different_codes(api):
    """"Sold out": never restocked; "Coming soon": being restocked."""
    shirt = variants(api, "officine-generale", "gaspard-oxford-shirt")
    cardigan = variants(api, "officine-generale", "ines-cashmere-cardigan")

    assert shirt["OG-SHIRT-OXF-BLU-XL"] == {"sku": "OG-SHIRT-OXF-BLU-XL", "size": "XL", "colour": "Blue",
                                            "availability": "coming_soon", "ships_on": None, "purchasable": False}
    assert cardigan["OG-WKNIT-INE-CAM-XS"]["availability"] == "sold_out"
    assert cardigan["OG-WKNIT-INE-CAM-XS"]["purchasable"] is False
    assert shirt["OG-SHIRT-OXF-BLU-M"]["availability"] == "in_stock"
    assert shirt["OG-SHIRT-OXF-BLU-M"]["purchasable"] is True


def test_OG_STK_01_a_coming_soon_variant_cannot_be_added_to_a_cart(api):
    """"Coming soon": the product is being restocked and cannot be bought yet."""
    reply = api.post("/brands/officine-generale/carts", {"lines": [{"sku": "OG-SHIRT-OXF-BLU-XL", "quantity": 1}]},
                     now=MONDAY_10AM)

    assert reply.status == 409, reply
    assert (reply["code"], reply["rule"]) == ("coming_soon", "OG-STK-01")
    assert stock_of("OG-SHIRT-OXF-BLU-XL") == 0


def test_OG_STK_01_a_sold_out_variant_cannot_be_added_to_a_cart(api):
    """"Sold out": the product is permanently out of stock and will not be replenished."""
    basket = cart(api, "officine-generale", [("OG-WKNIT-INE-CAM-S", 1)], now=MONDAY_10AM)

    added = api.put(f"/brands/officine-generale/carts/{basket}/lines/OG-WKNIT-INE-CAM-XS", {"quantity": 1},
                    now=MONDAY_10AM)
    created = api.post("/brands/officine-generale/carts",
                       {"lines": [{"sku": "OG-WKNIT-INE-CAM-XS", "quantity": 1}]}, now=MONDAY_10AM)

    assert (added.status, added["code"], added["rule"]) == (409, "sold_out", "OG-STK-01")
    assert (created.status, created["code"]) == (409, "sold_out")
    unchanged = api.get(f"/brands/officine-generale/carts/{basket}", now=MONDAY_10AM)
    assert [(line["sku"], line["quantity"]) for line in unchanged["lines"]] == [("OG-WKNIT-INE-CAM-S", 1)]


def test_OG_STK_01_other_brands_use_the_same_two_codes(api):
    """"Sold out" / "Coming soon" are shared codes: Almé's red Lou dress L is sold out, the black L coming soon."""
    dress = variants(api, "alme", "robe-lou")

    assert dress["AL-DRESS-RED-L"]["availability"] == "sold_out"
    assert dress["AL-DRESS-BLK-L"]["availability"] == "coming_soon"


def test_AL_STK_02_a_preorder_variant_shows_its_planned_shipping_date(api):
    """"pre-order items for which the shipping date is stipulated on the product sheets\""""
    reply = api.get("/brands/alme/products/robe-midi-fleurie", now=MONDAY_10AM)

    assert reply["preorder_ships_on"] == "2027-01-15"
    for variant in reply["variants"]:
        assert (variant["availability"], variant["ships_on"], variant["purchasable"]) == (
            "preorder", "2027-01-15", True)


def test_AL_STK_02_an_order_line_of_a_preorder_ships_on_that_date(api):
    """"pre-order items for which the shipping date is stipulated on the product sheets\""""
    placed = order(api, "alme", [("AL-FLORA-BLU-M", 1)], now=MONDAY_10AM, method="colissimo_home")

    assert placed.status == 201, placed
    assert [(line["sku"], line["ships_on"]) for line in placed["lines"]] == [("AL-FLORA-BLU-M", "2027-01-15")]


def test_AL_STK_04_the_product_page_shows_size_guide_composition_care_and_origin(api):
    """Each product has its own size guide; product pages show composition, care and origin."""
    dress = api.get("/brands/alme/products/robe-lou", now=MONDAY_10AM, lang="en")

    assert dress["composition"] == "100% viscose (LENZING™ ECOVERO™)."
    assert dress["care"].startswith("Hand wash cold or machine wash at 30 °C")
    assert dress["origin"] == "Made in Portugal"
    assert dress["size_guide"]["M"] == "Bust 88 cm, waist 70 cm, hips 96 cm, length 120 cm"
    assert sorted(dress["size_guide"]) == ["L", "M", "S", "XS"]


def test_AL_STK_04_the_product_page_speaks_french(api):
    """Product pages show composition, care and origin, in the shopper's language."""
    dress = api.get("/brands/alme/products/robe-lou", now=MONDAY_10AM, lang="fr")

    assert dress["name"] == "Robe Lou"
    assert dress["composition"] == "100 % viscose (LENZING™ ECOVERO™)."
    assert dress["origin"] == "Fabriqué au Portugal"


def test_AL_STK_04_each_product_has_its_own_size_guide(api):
    """OG: description, composition, sizing guide, care; each product its own guide."""
    shirt = api.get("/brands/officine-generale/products/gaspard-oxford-shirt", now=MONDAY_10AM, lang="en")
    chino = api.get("/brands/officine-generale/products/paul-pleated-chino", now=MONDAY_10AM, lang="en")

    assert shirt["description"].startswith("A men’s button-down shirt in garment-dyed Oxford cloth")
    assert shirt["composition"] == "100 % cotton"
    assert shirt["care"] == "Machine wash at 30 °C, iron at medium temperature, do not tumble dry."
    assert shirt["size_guide"]["M"] == "chest 106 cm, collar 39–40 cm, back length 76 cm"
    assert chino["size_guide"] != shirt["size_guide"]


def test_AA_CAT_05_audrey_alexandre_warns_that_colours_may_vary(api):
    """"Depending on the colors's nuances and your screen resolution, product colors may vary.\""""
    english = api.get("/brands/audrey-alexandre", now=MONDAY_10AM, lang="en")
    french = api.get("/brands/audrey-alexandre", now=MONDAY_10AM, lang="fr")

    assert english["colour_notice"] == (
        "Depending on the colours' nuances and your screen resolution, product colours may vary.")
    assert french["colour_notice"] == (
        "Selon les nuances des coloris et la résolution de votre écran, les couleurs des produits peuvent varier.")


def test_AA_CAT_05_other_brands_show_no_colour_notice(api):
    """The colour notice is Audrey Alexandre's; the other brands' seeds do not have it."""
    for brand in ("officine-generale", "opalook", "alme"):
        assert api.get(f"/brands/{brand}", now=MONDAY_10AM)["colour_notice"] is None
