"""The shopper pages of each brand, under /<brand>/ (mounted last by comptoir.urls). Fixed paths come before
the patterns that would swallow them: orders/track/ before orders/<number>/, help/contact before help/<key>."""

from django.urls import path

from comptoir.web.views import (
    account, addresses, cart, catalog, checkout, contact, email_links, exchanges, gift_cards, help, loyalty, orders,
    password_reset, payment_steps, privacy, referral, repairs, returns, tracking,
)

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
    path("<slug:brand>/orders/track/", tracking.track_order, name="track_order"),
    path("<slug:brand>/orders/<str:number>/", orders.order_page, name="order"),
    path("<slug:brand>/orders/<str:number>/cancel", orders.cancel, name="order_cancel"),
    path("<slug:brand>/orders/<str:number>/invoice.pdf", orders.invoice, name="invoice"),
    path("<slug:brand>/account/", account.account, name="account"),
    path("<slug:brand>/account/loyalty/", loyalty.loyalty, name="loyalty"),
    path("<slug:brand>/account/addresses/", addresses.addresses, name="addresses"),
    path("<slug:brand>/account/addresses/<int:address_id>/", addresses.edit_address, name="edit_address"),
    path("<slug:brand>/account/addresses/<int:address_id>/delete", addresses.delete_address, name="delete_address"),
    path("<slug:brand>/account/gift-cards/", gift_cards.gift_cards, name="gift_cards"),
    path("<slug:brand>/account/exchanges/", exchanges.exchanges, name="exchanges"),
    path("<slug:brand>/account/exchanges/new", exchanges.new_exchange, name="new_exchange"),
    path("<slug:brand>/account/repairs/", repairs.repairs, name="repairs"),
    path("<slug:brand>/account/repairs/new", repairs.new_repair, name="new_repair"),
    path("<slug:brand>/account/repairs/<uuid:repair_id>/", repairs.repair_page, name="repair"),
    path("<slug:brand>/account/repairs/<uuid:repair_id>/quote", repairs.repair_quote, name="repair_quote"),
    path("<slug:brand>/account/repairs/<uuid:repair_id>/photos/<int:photo_id>", repairs.repair_photo,
         name="repair_photo"),
    path("<slug:brand>/account/newsletter/", privacy.newsletter_page, name="newsletter"),
    path("<slug:brand>/account/privacy/", privacy.privacy, name="privacy"),
    path("<slug:brand>/account/privacy/my-data.json", privacy.data_export, name="data_export"),
    path("<slug:brand>/account/privacy/delete", privacy.delete_account, name="delete_account"),
    path("<slug:brand>/account/reset", password_reset.password_reset, name="password_reset"),
    path("<slug:brand>/account/sign-in", account.sign_in, name="sign_in"),
    path("<slug:brand>/account/sign-up", account.sign_up, name="sign_up"),
    path("<slug:brand>/account/sign-out", account.sign_out, name="sign_out"),
    path("<slug:brand>/newsletter/", email_links.newsletter_signup, name="newsletter_signup"),
    path("<slug:brand>/newsletter/confirm", email_links.newsletter_confirm, name="newsletter_confirm"),
    path("<slug:brand>/newsletter/unsubscribe", email_links.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("<slug:brand>/stock-alerts/confirm", email_links.stock_alert_confirm, name="stock_alert_confirm"),
    path("<slug:brand>/stock-alerts/unsubscribe", email_links.stock_alert_unsubscribe, name="stock_alert_unsubscribe"),
    path("<slug:brand>/referral/<str:code>", referral.referral, name="referral"),
    path("<slug:brand>/returns/new/", returns.new_return, name="new_return"),
    path("<slug:brand>/returns/<uuid:return_id>/", returns.return_page, name="return"),
    path("<slug:brand>/returns/<uuid:return_id>/label.pdf", returns.label, name="return_label"),
    path("<slug:brand>/returns/<uuid:return_id>/photos/<int:photo_id>", returns.photo, name="return_photo"),
    path("<slug:brand>/help/", help.help_center_page, name="help"),
    path("<slug:brand>/help/ask", help.ask, name="ask"),
    path("<slug:brand>/help/contact", contact.contact, name="contact"),
    path("<slug:brand>/help/<str:key>", help.entry, name="help_entry"),
]
