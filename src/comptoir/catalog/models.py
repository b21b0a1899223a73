"""Products, their size/colour variants and stock. Texts are {"en", "fr"} JSON objects."""

from django.db import models


class Category(models.Model):
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=80)
    name = models.JSONField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["brand", "position"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["brand", "code"], name="unique_category_per_brand")]

    def __str__(self) -> str:
        return self.name.get("en", self.code)


class Product(models.Model):
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    slug = models.SlugField(max_length=120)
    name = models.JSONField()
    description = models.JSONField()
    composition = models.JSONField()
    care = models.JSONField()
    origin = models.JSONField()
    price_minor = models.PositiveIntegerField()  # VAT included, brand currency
    size_guide = models.JSONField(default=dict)
    # AL-STK-02: a pre-order product ships on its planned date, shown on the product sheet.
    preorder_ships_on = models.DateField(null=True, blank=True)
    # An e-gift card: buying it issues a card whose code is e-mailed; it is not shipped and bears no VAT.
    is_gift_card = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["brand", "position"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slug"], name="unique_product_slug_per_brand"),
            models.CheckConstraint(condition=models.Q(price_minor__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name.get("en", self.slug)


class Variant(models.Model):
    OUT_OF_STOCK_CODES = [("sold_out", "Sold out"), ("coming_soon", "Coming soon")]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=64)
    size = models.CharField(max_length=32, blank=True)
    colour = models.CharField(max_length=64, blank=True)
    # Units that can still be sold; reserved (decremented) when an order is placed.
    stock = models.IntegerField(default=0)
    # OG-STK-01: what an out-of-stock variant says.
    when_out_of_stock = models.CharField(max_length=16, choices=OUT_OF_STOCK_CODES, default="sold_out")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "sku"], name="unique_sku_per_brand"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_never_negative"),
        ]

    def __str__(self) -> str:
        return self.sku
