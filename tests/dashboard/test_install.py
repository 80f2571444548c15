"""The install page: the snippet with a copy button, the guide (the marked markup of each
embed provider too), and diagnostics an owner can act on."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backend.dashboard.embed_markup import EXAMPLES
from backend.extensions import db
from backend.models import FoundTracker, RefusedOrigin
from backend.service_catalog import EMBEDS
from backend.services.stats import local_day
from tests.conftest import post_events
from tests.factories import make_event, make_service


def install_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/install"


def test_the_page_has_the_snippet_a_copy_button_and_the_guide(signed_in, people):
    site = people["site"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    make_service(site, "google_analytics", managed=True, options={"measurement_id": "G-X1"})
    db.session.commit()
    page = signed_in("viewer").get(install_url(site)).get_data(as_text=True)
    assert f"&lt;script src=&#34;http://localhost/w/{site.public_key}.js&#34;&gt;" in page
    assert 'data-copy="snippet"' in page and "/static/copy.js" in page
    assert "<script>" not in page  # no inline script: a strict CSP is coming
    assert "&lt;head&gt;" in page
    assert '&lt;script type="text/plain" data-consent="analytics"' in page
    assert "&lt;noscript&gt;" in page and "<noscript>" not in page  # Metrica pixel: remove
    assert "непомеченные теги сработают" in page  # what fails open, what fails closed
    assert "<code>analytics</code>" in page and "<code>yandex_metrica</code>" in page
    assert page.count("загружает Kelisim: не вставляйте его тег") == 1  # GA4, managed


def test_the_copy_script_is_served(client):
    with client.get("/static/copy.js") as response:
        assert response.status_code == 200
        assert "navigator.clipboard.writeText" in response.get_data(as_text=True)


def test_diagnostics_before_any_event(signed_in, people):
    page = signed_in("viewer").get(install_url(people["site"])).get_data(as_text=True)
    assert "Пока не получено ни одного события согласия" in page
    assert "За последние 30 дн. ни одно событие не было отклонено" in page


def test_diagnostics_show_the_last_event_and_refused_hosts(client, signed_in, people):
    site = people["site"]
    site.domains = ["arman.kz"]
    db.session.commit()
    assert post_events(client, make_event(site), origin="https://arman.kz").status_code == 202
    for _ in range(3):
        assert (
            post_events(client, make_event(site), origin="https://staging.arman.kz").status_code
            == 403
        )
    assert post_events(client, make_event(site), origin="http://192.0.2.10").status_code == 403
    long_ago = local_day(datetime.now(UTC), site.timezone) - timedelta(days=31)
    db.session.add(RefusedOrigin(site_id=site.id, day=long_ago, host="old.example", count=5))
    db.session.commit()

    page = signed_in("viewer").get(install_url(site)).get_data(as_text=True)
    assert "Последнее событие согласия получено" in page
    assert '<code>staging.arman.kz</code></td><td data-label="Отклонённые события">3</td>' in page
    assert "IP-адрес (не сохраняется)" in page and "192.0.2.10" not in page
    assert "old.example" not in page  # older than 30 days


def test_diagnostics_list_found_trackers_the_site_does_not_configure(client, signed_in, people):
    site = people["site"]
    site.domains = ["example.kz"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    found = ["tiktok_pixel", "yandex_metrica"]
    shown = make_event(
        site, action="shown", categories=[], services=[], expires_at=None, found=found
    )
    for _ in range(2):
        assert post_events(client, shown).status_code == 202
    long_ago = local_day(datetime.now(UTC), site.timezone) - timedelta(days=31)
    db.session.add(FoundTracker(site_id=site.id, day=long_ago, kind="vk_pixel", count=4))
    db.session.commit()
    add_link = f"/dashboard/sites/{site.public_key}/trackers/new/tiktok_pixel"

    page = signed_in("editor").get(install_url(site)).get_data(as_text=True)
    assert "Трекеры и встроенный контент на ваших страницах" in page
    assert '<td data-label="Сервис">Пиксель TikTok</td>' in page
    assert "Яндекс Метрика</td>" not in page  # configured: the banner lists it already
    assert "Пиксель VK Рекламы" not in page  # older than 30 days
    assert add_link in page
    assert add_link not in signed_in("viewer").get(install_url(site)).get_data(as_text=True)


# Embedded content: the marked markup of each provider, and what was found on the pages

EMBED_DATA = Path(__file__).resolve().parent.parent / "data" / "embeds"
CODE = re.compile(r'<code id="embed-code-([\w-]+)">(.*?)</code>', re.S)
# What the HTML standard lets each element of the markup carry, besides data-*: the global
# attributes the markup uses, and the element's own.
GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang"}
ELEMENT_ATTRIBUTES = {
    "iframe": {"width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy", "name"},
    "script": {"type", "src", "async", "defer", "charset"},
    "blockquote": {"cite"},
}
DATA_ATTRIBUTE = re.compile(r"data-[a-z0-9]+(?:-[a-z0-9]+)*")


class MarkupReader(HTMLParser):
    """A snippet's elements as (tag, attributes), with what is wrong with it as HTML: an
    attribute the element may not have, one given twice, an element left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.problems: list[str] = []
        self.open: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        if len(set(names)) != len(names):
            self.problems.append(f"{tag}: an attribute twice")
        for name in names:
            allowed = GLOBAL_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, set())
            if name not in allowed and not DATA_ATTRIBUTE.fullmatch(name):
                self.problems.append(f"{tag}: {name} is not an attribute of it")
        self.elements.append((tag, dict(attrs)))
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_data(self, data):
        if self.open and self.open[-1] in ("script", "iframe"):
            self.text += data.strip()


def embed_blocks(page: str) -> dict[str, str]:
    """The marked markup the guide shows per provider, as text to copy."""
    return {kind: unescape(code) for kind, code in CODE.findall(page)}


def test_the_guide_shows_each_embed_providers_marked_markup_and_when_pasted_is_enough(
    signed_in, people
):
    page = signed_in("viewer").get(install_url(people["site"])).get_data(as_text=True)
    assert list(embed_blocks(page)) == list(EMBEDS)
    assert "Встроенный контент" in page
    assert "работают с кодом, вставленным как есть" in page
    assert "его запрос всегда уходит раньше" in page  # the parser-inserted frame, as measured
    assert "&lt;iframe src&gt;" in page and "<iframe" not in page  # named as text only
    assert "data-poster" in page and "Никогда не картинку поставщика" in page
    assert "помеченные останутся пустыми" in page  # what fails closed


@pytest.mark.parametrize("kind", list(EMBEDS))
def test_each_embeds_marked_markup_is_valid_html_that_requests_nothing(signed_in, people, kind):
    """Browser-free: data-* attributes only beyond the element's own, no src on a frame, a
    script of type text/plain, every URL the provider's as the catalog knows it."""
    page = signed_in("viewer").get(install_url(people["site"])).get_data(as_text=True)
    reader = MarkupReader()
    reader.feed(embed_blocks(page)[kind])
    reader.close()
    assert reader.problems == [] and reader.open == [] and reader.text == ""
    catalog = EMBEDS[kind]
    frames = [attributes for tag, attributes in reader.elements if tag == "iframe"]
    scripts = [attributes for tag, attributes in reader.elements if tag == "script"]
    assert frames or scripts
    for frame in frames:
        assert "src" not in frame and "srcdoc" not in frame
        assert any(part in frame["data-src"] for part in catalog.frame_parts)
        assert frame["data-consent"] == kind
        assert frame["width"].isdigit() and frame["height"].isdigit() and frame["title"]
        if "data-poster" in frame:
            assert frame["data-poster"].startswith("https://arman.kz/")  # the site's own
    for script in scripts:
        assert script["type"] == "text/plain" and script["data-consent"] == kind
        assert any(part in script["src"] for part in catalog.url_parts)
    if kind in ("youtube", "rutube", "vk_video"):  # a video: poster, one click plays
        (frame,) = frames
        assert "data-poster" in frame and "autoplay" in frame["allow"]


@pytest.mark.parametrize("kind", list(EMBEDS))
def test_the_guides_example_urls_are_from_the_providers_own_codes(kind):
    """tests/data/embeds/ holds the codes as the providers hand them out."""
    codes = unescape(" ".join(path.read_text() for path in EMBED_DATA.glob(f"{kind}*.html")))
    example = EXAMPLES[kind]
    for url in filter(None, (example.frame, example.script)):
        assert url.removeprefix("https:") in codes, url


def test_the_markup_waits_for_the_sites_service_of_the_provider_else_the_provider(
    signed_in, people
):
    site = people["site"]
    make_service(site, "youtube", slug="trailers")
    db.session.commit()
    page = signed_in("viewer").get(install_url(site)).get_data(as_text=True)
    blocks = embed_blocks(page)
    assert 'data-consent="trailers"' in blocks["youtube"]
    assert 'data-consent="rutube"' in blocks["rutube"]
    assert (
        'YouTube <span class="hint">· <span class="nowrap">data-consent=</span>"trailers"</span>'
        in page
    )
    assert "<code>trailers</code>" in page  # and in the table of names


def test_found_embeds_and_pixels_are_listed_by_name_and_embeds_offered_as_services(
    client, signed_in, people
):
    site = people["site"]
    site.domains = ["example.kz"]
    make_service(site, "rutube", slug="films")
    db.session.commit()
    # A pixel is found under its tracker's kind; LiveInternet's counter, which has none,
    # under its own.
    found = ["youtube", "2gis", "liveinternet", "meta_pixel", "rutube"]
    shown = make_event(
        site, action="shown", categories=[], services=[], expires_at=None, found=found
    )
    assert post_events(client, shown).status_code == 202

    page = signed_in("editor").get(install_url(site)).get_data(as_text=True)
    assert "Трекеры и встроенный контент на ваших страницах" in page
    rows = re.findall(r'<td data-label="Сервис">(.*?)</td>', page)
    assert len(rows) == 4 and not any("Rutube" in row for row in rows)  # configured
    assert 'YouTube<br><span class="hint">Встроенный контент</span>' in rows
    assert "Пиксель Meta" in rows
    (counter,) = [row for row in rows if "LiveInternet" in row]
    assert "Счётчик LiveInternet" in counter and "«Аналитические»" in counter
    key = site.public_key
    for kind in ("youtube", "2gis", "meta_pixel"):
        assert f"/dashboard/sites/{key}/trackers/new/{kind}" in page
    assert "/trackers/new/liveinternet" not in page
