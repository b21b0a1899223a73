#!/usr/bin/env python3
"""Screenshots of the shopper pages, for the README: a guest buys on Almé (3-D Secure), staff ship and the
parcel is delivered, the guest declares a return; the help center and its assistant; an Officine Générale
shopper refused a post-office box; the guest tracks her order; "my account" pages (addresses, gift cards,
my data), a friend's referral page and the contact form; two pages on a phone.

    python docs/screenshots/make_screenshots.py            # sets up a demo in a temporary folder and serves it
    python docs/screenshots/make_screenshots.py --url http://127.0.0.1:8000   # a running demo (`make demo`)

Drives Debian's Chromium (apt-get install chromium) headless through Playwright; never downloads a browser.
Staff steps go through the staff API with the demo logins of the presets' demo.toml.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ROOT / "src" / "comptoir" / "brands" / "presets"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server():
    """`comptoir demo --no-serve` in a temporary folder, then `comptoir serve --with-worker` on a free port."""
    comptoir = Path(sys.executable).with_name("comptoir")
    with tempfile.TemporaryDirectory(prefix="comptoir-shots-") as var:
        env = {**os.environ, "COMPTOIR_VAR_DIR": var, "DATABASE_URL": f"sqlite:///{var}/demo.sqlite3"}
        subprocess.run([str(comptoir), "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([str(comptoir), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                   "--with-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit("the demo server did not start")
            yield url
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def staff_call(url: str, brand: str, path: str, body: dict | None = None, *, token: str | None = None) -> dict:
    request = urllib.request.Request(url + "/api" + path, method="POST", data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def staff_token(url: str, brand: str) -> str:
    demo = tomllib.loads((PRESETS / brand / "demo.toml").read_text())
    return staff_call(url, brand, "/staff/sessions", {"username": demo["staff_username"],
                                                      "password": demo["staff_password"]})["token"]


def demo_shopper(brand: str) -> dict:
    return tomllib.loads((PRESETS / brand / "demo.toml").read_text())["shopper"]


class Shots:
    def __init__(self, out: Path):
        self.out = out
        self.saved: list[Path] = []

    def take(self, page, name: str, *, full: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        if full:  # a full-page shot of a scrolled page would paint the sticky header mid-page
            page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def add_to_bag(page, url: str, brand: str, product: str, colour: str, size: str) -> None:
    page.goto(f"{url}/{brand}/products/{product}/?lang=en")
    group = page.locator("fieldset.sizes", has_text=colour)
    group.locator("label.size", has=page.get_by_text(size, exact=True)).first.click()
    page.get_by_role("button", name="Add to bag").click()
    page.wait_for_url("**/cart/")


def fill_address(page, line1: str = "12 rue de Turenne") -> None:
    page.get_by_label("First name").fill("Camille")
    page.get_by_label("Last name").fill("Martin")
    page.get_by_label("Address", exact=True).fill(line1)
    page.get_by_label("Postal code").fill("75004")
    page.get_by_label("City").fill("Paris")


def guest_journey(browser, url: str, shots: Shots) -> str:
    page = browser.new_page(viewport=DESKTOP, locale="en-GB")
    page.goto(url + "/")
    shots.take(page, "01-brands")
    page.goto(f"{url}/alme/?lang=en")
    shots.take(page, "02-storefront", full=True)
    page.goto(f"{url}/alme/products/")
    shots.take(page, "03-products")
    page.goto(f"{url}/alme/products/robe-lou/")
    shots.take(page, "04-product", full=True)
    add_to_bag(page, url, "alme", "robe-lou", "Black", "S")
    add_to_bag(page, url, "alme", "tshirt-col-rond-leon", "White", "M")
    shots.take(page, "05-cart")
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("E-mail").fill("camille.martin@example.com")
    fill_address(page)
    page.locator("label.choice", has_text="Mondial Relay").click()
    page.get_by_label("Card number").fill("4000 0000 0000 3220")
    page.get_by_label("Expiry month (MM)").fill("12")
    page.get_by_label("Expiry year (YY)").fill("30")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Name on the card").fill("Camille Martin")
    shots.take(page, "06-checkout", full=True)
    page.get_by_role("button", name="Place order and pay").click()
    shots.take(page, "07-3-d-secure")
    page.get_by_label("SMS code").fill("123456")
    page.get_by_role("button", name="Confirm").click()
    shots.take(page, "08-order-confirmation", full=True)
    number = page.locator("[data-order-number]").get_attribute("data-order-number")
    token = staff_token(url, "alme")
    staff_call(url, "alme", f"/staff/brands/alme/orders/{number}/ship", {"tracking_number": "MR-84512207"},
               token=token)
    staff_call(url, "alme", f"/staff/brands/alme/orders/{number}/deliver", token=token)
    time.sleep(1.5)  # the worker issues the invoice
    page.goto(f"{url}/alme/orders/{number}/")
    shots.take(page, "09-order-delivered", full=True)
    page.get_by_role("link", name="Return items").click()
    dress = page.locator("fieldset.return-line", has_text="Lou dress")
    dress.get_by_role("checkbox").check()
    dress.get_by_label("Reason").select_option("wrong_size")
    shots.take(page, "10-return-declaration", full=True)
    page.get_by_role("button", name="Confirm my return").click()
    shots.take(page, "11-return")
    page.close()
    return number


def help_journey(browser, url: str, shots: Shots) -> None:
    page = browser.new_page(viewport=DESKTOP, locale="en-GB")
    page.goto(f"{url}/alme/help/?lang=en")
    shots.take(page, "12-help-center", full=True)
    page.get_by_role("link", name="Ask the assistant").click()
    page.get_by_label("Your question").fill("How long do I have to return an item?")
    page.get_by_label("Your question").press("Enter")
    page.locator("#conversation .bubble.bot").first.wait_for()
    page.get_by_label("Your question").fill("Where is my order?")
    page.get_by_label("Your question").press("Enter")
    page.locator("#conversation .bubble.bot").nth(1).wait_for()
    shots.take(page, "13-assistant", full=True)
    page.close()


def account_journey(browser, url: str, shots: Shots) -> None:
    page = browser.new_page(viewport=DESKTOP, locale="fr-FR")
    page.goto(f"{url}/officine-generale/?lang=fr")
    shots.take(page, "14-storefront-fr")
    page.goto(f"{url}/officine-generale/account/")
    shots.take(page, "15-account-fr")
    shopper = demo_shopper("officine-generale")
    page.get_by_label("E-mail").first.fill(shopper["email"])
    page.get_by_label("Mot de passe").first.fill(shopper["password"])
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{url}/officine-generale/products/gaspard-oxford-shirt/?lang=en")
    page.locator("fieldset.sizes", has_text="Blue").locator("label.size", has=page.get_by_text("M", exact=True)).click()
    page.get_by_role("button", name="Add to bag").click()
    page.goto(f"{url}/officine-generale/checkout/")
    fill_address(page, line1="BP 42")
    page.locator("label.choice", has_text="PayPal").click()
    page.get_by_role("button", name="Place order and pay").click()
    shots.take(page, "16-checkout-po-box-refused", full=True)
    fill_address(page)
    page.locator("label.choice", has_text="PayPal").click()
    page.get_by_role("button", name="Place order and pay").click()
    shots.take(page, "17-paypal-sandbox")
    page.get_by_role("button", name="Approve payment").click()
    page.goto(f"{url}/officine-generale/account/")
    shots.take(page, "18-my-orders")
    page.goto(f"{url}/officine-generale/account/addresses/?lang=en")
    page.get_by_label("First name").fill("Louis")
    page.get_by_label("Last name").fill("Garnier")
    page.get_by_label("Address", exact=True).fill("BP 42")
    page.get_by_label("Postal code").fill("75003")
    page.get_by_label("City").fill("Paris")
    page.get_by_role("button", name="Add an address").click()
    shots.take(page, "21-addresses-po-box-refused", full=True)
    page.close()


def more_pages(browser, url: str, shots: Shots, number: str) -> None:
    """The guest tracks her order; an Almé member's account pages; her friend's referral page; contact."""
    guest = browser.new_page(viewport=DESKTOP, locale="en-GB")
    guest.goto(f"{url}/alme/orders/track/?lang=en")
    guest.get_by_label("Order number").fill(number)
    guest.get_by_label("E-mail").fill("camille.martin@example.com")
    shots.take(guest, "22-track-order")
    guest.close()
    page = browser.new_page(viewport=DESKTOP, locale="en-GB")
    shopper = demo_shopper("alme")
    page.goto(f"{url}/alme/account/?lang=en")
    page.get_by_label("E-mail").first.fill(shopper["email"])
    page.get_by_label("Password").first.fill(shopper["password"])
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{url}/alme/account/gift-cards/")
    shots.take(page, "23-gift-cards", full=True)
    page.goto(f"{url}/alme/account/privacy/")
    shots.take(page, "24-my-data", full=True)
    page.goto(f"{url}/alme/account/loyalty/")
    link = page.locator("#referral-link").input_value()
    page.close()
    friend = browser.new_page(viewport=DESKTOP, locale="fr-FR")
    friend.goto(link.replace("http://localhost:8000", url).replace("http://127.0.0.1:8000", url) + "?lang=fr")
    shots.take(friend, "25-referral-fr")
    friend.goto(f"{url}/opalook/help/contact?lang=en")
    shots.take(friend, "26-contact", full=True)
    friend.close()


def phone_pages(browser, url: str, shots: Shots) -> None:
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="en-GB")
    page.goto(f"{url}/audrey-alexandre/?lang=en")
    shots.take(page, "19-phone-storefront")
    page.goto(f"{url}/audrey-alexandre/products/")
    first = page.locator(".card-link").first
    first.click()
    shots.take(page, "20-phone-product", full=True)
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running demo (default: start one in a temporary folder)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shots = Shots(args.out)
    with (contextmanager(lambda: (yield args.url))() if args.url else demo_server()) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            print(f"Screenshots of {url}:")
            number = guest_journey(browser, url, shots)
            help_journey(browser, url, shots)
            account_journey(browser, url, shots)
            more_pages(browser, url, shots, number)
            phone_pages(browser, url, shots)
        finally:
            browser.close()
    print(f"{len(shots.saved)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
