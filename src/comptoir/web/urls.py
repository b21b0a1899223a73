"""The shopper pages of each brand, under /<brand>/ (mounted last by comptoir.urls)."""

from django.urls import path

from comptoir.web.views import account, cart, catalog, checkout, help, loyalty, orders, payment_steps, returns

app_name = "web"

urlpatterns = [
    path("<slug:brand>/", catalog.storefront, name="storefront"),
    path("<slug:brand>/products/", catalog.product_list, name="products"),
    path("<slug:brand>/products/<slug:product>/", catalog.product_page, name="product"),
    path("<slug:brand>/products/<slug:product>/alert", catalog.stock_alert, name="stock_alert"),
    path("<slug:brand>/cart/", cart.cart_page, name="cart"),
    path("<slug:brand>/cart/add", cart.add_to_cart, name="cart_add"),
    path("<slug:brand>/cart/update", cart.update_cart, name="cart_update"),
    path("<slug:brand>/checkout/", checkout.checkout, name="checkout"),
    path("<slug:brand>/pay/<uuid:payment_id>/3-d-secure", payment_steps.three_d_secure, name="three_d_secure"),
    path("<slug:brand>/pay/<uuid:payment_id>/paypal", payment_steps.paypal, name="paypal"),
    path("<slug:brand>/orders/<str:number>/", orders.order_page, name="order"),
    path("<slug:brand>/orders/<str:number>/cancel", orders.cancel, name="order_cancel"),
    path("<slug:brand>/orders/<str:number>/invoice.pdf", orders.invoice, name="invoice"),
    path("<slug:brand>/account/", account.account, name="account"),
    path("<slug:brand>/account/loyalty/", loyalty.loyalty, name="loyalty"),
    path("<slug:brand>/account/sign-in", account.sign_in, name="sign_in"),
    path("<slug:brand>/account/sign-up", account.sign_up, name="sign_up"),
    path("<slug:brand>/account/sign-out", account.sign_out, name="sign_out"),
    path("<slug:brand>/returns/new/", returns.new_return, name="new_return"),
    path("<slug:brand>/returns/<uuid:return_id>/", returns.return_page, name="return"),
    path("<slug:brand>/returns/<uuid:return_id>/label.pdf", returns.label, name="return_label"),
    path("<slug:brand>/returns/<uuid:return_id>/photos/<int:photo_id>", returns.photo, name="return_photo"),
    path("<slug:brand>/help/", help.help_center_page, name="help"),
    path("<slug:brand>/help/ask", help.ask, name="ask"),
    path("<slug:brand>/help/<str:key>", help.entry, name="help_entry"),
]
