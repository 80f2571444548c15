"""The catalog's embeds and pixels: their URL parts against the providers' real embed codes
(tests/data/embeds/), each fact present, and none of them offered or sent yet."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backend.models import Site
from backend.service_catalog import CATALOG, EMBED, EMBEDS, KINDS, PIXEL, SCRIPT
from backend.services import InvalidInput
from backend.services.publishing import known_trackers
from backend.services.sites import add_service

SAMPLES = Path(__file__).parent / "data" / "embeds"
HELD_LATER = {key: kind for key, kind in CATALOG.items() if kind.type != SCRIPT}
# A URL in quotes in an inline script: `img.src = "https://..."`, `'<img src="//...'`.
QUOTED_URL = re.compile(r"""["']((?:https?:)?//[^"'\s]+)""")
NEW_CALL = re.compile(r"\bnew\s+([A-Za-z_$][\w$]*)\s*\(")


class EmbedCode(HTMLParser):
    """The URLs an embed code loads: frames, scripts, images, and URLs in inline scripts."""

    def __init__(self, html: str):
        super().__init__()
        self.frames: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []
        self.inline: list[str] = []
        self.code = ""
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        self._in_script = tag == "script" and not src
        if src and not src.startswith("data:"):
            {"iframe": self.frames, "script": self.scripts, "img": self.images}[tag].append(src)

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.code += data
            self.inline.extend(QUOTED_URL.findall(data))


def samples(kind: str) -> list[EmbedCode]:
    """The embed codes of ``kind``: <kind>.html and <kind>.<variant>.html."""
    paths = sorted(SAMPLES.glob(f"{kind}.html")) + sorted(SAMPLES.glob(f"{kind}.*.html"))
    return [EmbedCode(path.read_text()) for path in paths]


def urls(kind: str, *fields: str) -> list[str]:
    return [url for code in samples(kind) for field in fields for url in getattr(code, field)]


def matches(parts, url: str) -> bool:
    """Whether the loader takes ``url`` for one of ``parts`` (a part anywhere in it)."""
    return any(part in url for part in parts)


def test_the_catalog_has_the_embeds_and_pixels_of_issue_18_and_pixels_are_no_services():
    embeds = {key for key, kind in CATALOG.items() if kind.type == EMBED}
    pixels = {key for key, kind in CATALOG.items() if kind.type == PIXEL}
    assert embeds == {
        "youtube", "rutube", "vk_video", "yandex_maps", "2gis", "google_maps", "telegram",
        "instagram", "yandex_forms",
    }  # fmt: skip
    assert pixels == {
        "liveinternet", "top_mail_ru_image", "vk_retargeting_image", "meta_pixel_image",
        "yandex_metrica_image",
    }  # fmt: skip
    assert set(KINDS) == set(CATALOG) - pixels
    assert set(EMBEDS) == embeds
    assert all(not kind.can_manage for kind in EMBEDS.values())


@pytest.mark.parametrize("key", sorted(HELD_LATER))
def test_every_embed_and_pixel_has_its_facts(key):
    kind = CATALOG[key]
    assert kind.kind == key
    assert kind.name and kind.provider and kind.country and kind.purpose and kind.term
    assert kind.policy_url.startswith("https://")
    assert kind.option_fields == ()  # nothing to configure: the page's own code names it
    if kind.type == EMBED:
        assert kind.default_category == "functional"
        assert kind.frame_parts or kind.url_parts
        assert not kind.image_parts and not kind.pixel_of
    else:
        assert kind.default_category in {"analytics", "marketing"}
        assert kind.image_parts and not kind.frame_parts and not kind.url_parts
        # A pixel of a known tracker is released with it: same provider, same category.
        if kind.pixel_of:
            tracker = KINDS[kind.pixel_of]
            assert str(kind.provider) == str(tracker.provider)
            assert (
                kind.default_category == tracker.default_category or key == "vk_retargeting_image"
            )


@pytest.mark.parametrize("key", sorted(HELD_LATER))
def test_the_url_parts_match_the_providers_embed_codes(key):
    kind = CATALOG[key]
    assert samples(key), f"no tests/data/embeds/{key}.html"
    frames, images = urls(key, "frames"), urls(key, "images")
    scripts, inline = urls(key, "scripts"), urls(key, "inline")
    # Every part is there to catch something a provider's code loads...
    for part in kind.frame_parts:
        assert matches([part], " ".join(frames)), part
    for part in kind.url_parts:
        assert matches([part], " ".join(scripts + inline)), part
    for part in kind.image_parts:
        assert matches([part], " ".join(images + inline)), part
    # ... and everything an embed code loads, or a pixel's image, is caught.
    if kind.type == EMBED:
        assert all(matches(kind.frame_parts, url) for url in frames), frames
        assert all(matches(kind.url_parts, url) for url in scripts), scripts
    else:
        assert images or inline
        assert all(matches(kind.image_parts, url) for url in images), images
        assert any(matches(kind.image_parts, url) for url in inline) or key in {
            "meta_pixel_image",  # <img> tags only
            "yandex_metrica_image",
        }


@pytest.mark.parametrize("key", sorted(HELD_LATER))
def test_no_url_part_catches_another_providers_code(key):
    kind = CATALOG[key]
    for other in HELD_LATER:
        if other == key:
            continue
        for url in urls(other, "frames"):
            assert not matches(kind.frame_parts, url), (other, url)
        for url in urls(other, "scripts", "inline"):
            assert not matches(kind.url_parts, url), (other, url)
        for url in urls(other, "images", "inline"):
            assert not matches(kind.image_parts, url), (other, url)


@pytest.mark.parametrize("key", sorted(k for k, kind in HELD_LATER.items() if kind.type == EMBED))
def test_no_tracker_takes_an_embeds_script_or_frame_for_its_own(key):
    # The loader holds the scripts the trackers' parts match today: an embed's script taken
    # for a tracker's would wait for that tracker's category, under its name.
    for url in urls(key, "scripts", "frames", "inline"):
        for tracker in (kind for kind in KINDS.values() if kind.type == SCRIPT):
            assert not matches(tracker.url_parts, url), (tracker.kind, url)


@pytest.mark.parametrize("key", sorted(HELD_LATER))
def test_the_globals_an_inline_call_needs_are_named(key):
    """A constructor the embed code calls inline that its held script defines is listed, so
    the widget can queue the call; the catalog lists no global its code does not call."""
    kind = CATALOG[key]
    called = {name for code in samples(key) for name in NEW_CALL.findall(code.code)}
    # Built-ins, and YouTube's YT.Player, which runs in the callback the API itself calls.
    called -= {"Image", "Date", "YT"}
    assert set(kind.globals) == called


def test_2gis_names_its_loader():
    assert CATALOG["2gis"].globals == ("DGWidgetLoader",)


def test_the_loaders_table_has_each_kind_by_what_it_loads():
    """What every page view downloads: a row per kind the loader recognises by URL, the
    trackers' as before, a pixel's image parts with its tracker, an embed's with globals."""
    table = known_trackers()["kinds"]
    assert table["google_analytics"] == [
        "analytics", ["googletagmanager.com/gtag/", "google-analytics.com/"]
    ]  # fmt: skip
    assert table["tiktok_pixel"] == ["marketing", ["analytics.tiktok.com/"]]
    assert table["meta_pixel"] == ["marketing", ["connect.facebook.net/"], [], ["facebook.com/tr?"]]
    assert table["liveinternet"] == ["analytics", [], [], ["counter.yadro.ru/hit"]]
    assert table["2gis"] == [
        "functional", ["/DGWidgetLoader.js"], ["widgets.2gis.com/widget"],
        [], ["DGWidgetLoader"],
    ]  # fmt: skip
    assert table["rutube"] == ["functional", [], ["rutube.ru/play/embed/"], [], []]
    # Every embed and pixel is recognised; no pixel has a row but LiveInternet's, whose
    # counter belongs to no tracker.
    for key, kind in CATALOG.items():
        owner = kind.pixel_of or key
        assert owner in table or key == "custom", key
    assert {key for key in table if CATALOG[key].type == PIXEL} == {"liveinternet"}
    # A sixth entry for the embeds whose frames (Yandex Forms) or players (YouTube's iframe
    # API) stand for their script: no placeholder box for the script itself.
    assert {key: len(row) for key, row in table.items() if key in EMBEDS} == {
        key: 6 if key in ("yandex_forms", "youtube") else 5 for key in EMBEDS
    }
    assert table["youtube"][5] == table["yandex_forms"][5] == 1


@pytest.mark.parametrize("key", sorted(k for k, kind in HELD_LATER.items() if kind.type == PIXEL))
def test_a_pixel_cannot_be_added_as_a_service(key):
    site = Site(name="Кинотеатр", domains=["arman.kz"])
    with pytest.raises(InvalidInput):
        add_service(site, key)
    assert site.services == []


@pytest.mark.parametrize("key", sorted(EMBEDS))
def test_an_embed_is_added_as_a_held_service_under_its_category(key):
    site = Site(name="Кинотеатр", domains=["arman.kz"])
    service = add_service(site, key)
    assert (service.kind, service.category, bool(service.managed)) == (key, "functional", False)
