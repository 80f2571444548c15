"""The marked markup of each embed provider, as the install guide shows it: a frame with
``data-src`` in place of ``src``, a script with ``type="text/plain"``, so that the page
requests nothing from the provider before the visitor agrees, and stays valid HTML.

The example URLs are the providers' own embed codes as in tests/data/embeds/ (IDs made up);
tests/dashboard/test_install.py checks that each still matches its catalog kind.
"""

import ipaddress
from dataclasses import dataclass
from html import escape

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from backend.service_catalog import EMBEDS

_VIDEO = _l("Video")
_MAP = _l("Map")
# What a video frame needs to play on the placeholder's one click and to go full screen.
_PLAYER = (("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture"),)


@dataclass(frozen=True)
class EmbedExample:
    """One provider's embed, as the guide marks it: a frame or a script."""

    kind: str
    # A frame: its URL (data-src), size and title; a video's may have a poster.
    frame: str = ""
    width: int = 0
    height: int = 0
    title: LazyString | str = ""
    video: bool = False
    frame_attributes: tuple[tuple[str, str], ...] = ()
    # A script: its URL, and the provider's own data-* attributes on it.
    script: str = ""
    script_attributes: tuple[tuple[str, str], ...] = ()
    # Markup of the provider's code that stays as it is, before the marked tags: it
    # requests nothing by itself (Instagram's blockquote, which embed.js turns into a frame).
    before: str = ""
    # Said beneath the markup, where the provider's code is not what the guide shows.
    note: LazyString | str = ""


EXAMPLES: dict[str, EmbedExample] = {
    example.kind: example
    for example in (
        EmbedExample(
            kind="youtube",
            frame="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Xq3b7Kc2LmN0pQrS",
            width=560,
            height=315,
            title=_VIDEO,
            video=True,
            frame_attributes=_PLAYER,
        ),
        EmbedExample(
            kind="rutube",
            frame="https://rutube.ru/play/embed/2b7e1a9c4d5f6a7b8c9d0e1f2a3b4c5d/",
            width=720,
            height=405,
            title=_VIDEO,
            video=True,
            frame_attributes=_PLAYER,
        ),
        EmbedExample(
            kind="vk_video",
            frame="https://vk.com/video_ext.php?oid=-22822305&id=456241864&hd=2",
            width=853,
            height=480,
            title=_VIDEO,
            video=True,
            frame_attributes=_PLAYER,
        ),
        EmbedExample(
            kind="yandex_maps",
            frame=(
                "https://yandex.kz/map-widget/v1/"
                "?ll=76.945465%2C43.238293&mode=search&oid=1124715036&ol=biz&z=16"
            ),
            width=560,
            height=400,
            title=_MAP,
        ),
        EmbedExample(
            kind="2gis",
            frame=(
                "https://widgets.2gis.com/widget?type=firmsonmap&options=%7B%22pos%22%3A%7B"
                "%22lat%22%3A43.238293%2C%22lon%22%3A76.945465%2C%22zoom%22%3A16%7D%2C%22opt"
                "%22%3A%7B%22city%22%3A%22almaty%22%7D%2C%22org%22%3A%2270000001018100927%22%7D"
            ),
            width=640,
            height=600,
            title=_MAP,
            note=_l(
                "2GIS hands out a script that builds this frame. Keep that code as pasted, or "
                "mark the frame it builds, as here (its address is in the page once the map "
                "shows)."
            ),
        ),
        EmbedExample(
            kind="google_maps",
            frame=(
                "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2906.7!2d76.945465"
                "!3d43.238293!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1!3m3!1m2!1s0x0%3A0x0"
                "!2z0JrQuNC90L7RgtC10LDRgtGA!5e0!3m2!1sru!2skz!4v1733500000000!5m2!1sru!2skz"
            ),
            width=600,
            height=450,
            title=_MAP,
        ),
        EmbedExample(
            kind="telegram",
            script="https://telegram.org/js/telegram-widget.js?22",
            script_attributes=(("data-telegram-post", "durov/43"), ("data-width", "100%")),
        ),
        EmbedExample(
            kind="instagram",
            before=(
                '<blockquote class="instagram-media"\n'
                '  data-instgrm-permalink="https://www.instagram.com/p/C0abcDEFghi/"\n'
                '  data-instgrm-version="14">…</blockquote>'
            ),
            script="https://www.instagram.com/embed.js",
            note=_l("Keep the blockquote of Instagram's code as it is: only the script is marked."),
        ),
        EmbedExample(
            kind="yandex_forms",
            # embed.js sizes the form's frame to its content once both are let in.
            script="https://forms.yandex.ru/_static/embed.js",
            frame="https://forms.yandex.ru/u/65a1b2c3d4e5f6a7b8c9d0e1/?iframe=1",
            width=650,
            height=600,
            title=_l("Form"),
        ),
    )
}


def _attributes(lines) -> str:
    """Attributes as HTML writes them, a value quoted and escaped, a boolean one bare: the
    first of ``lines`` (lists of (name, value)) beside the tag's name, each other on a line
    of its own, so that a narrow screen breaks a long URL rather than an attribute's name."""
    return " " + "\n  ".join(
        " ".join(
            name if value is None else f'{name}="{escape(str(value), quote=True)}"'
            for name, value in line
        )
        for line in lines
        if line
    )


def marked_markup(kind: str, key: str, poster: str) -> str:
    """The markup of ``kind``'s example, marked to wait for consent to ``key`` (the site's
    service of that kind, else the kind); ``poster`` is an image of the operator's own that
    a video's placeholder shows. Plain text: the page escapes it."""
    example = EXAMPLES[kind]
    markup = [example.before] if example.before else []
    if example.script:
        lines = [
            [("type", "text/plain"), ("data-consent", key)],
            [("src", example.script)],
            list(example.script_attributes),
        ]
        markup.append(f"<script{_attributes(lines)}></script>")
    if example.frame:
        lines = [
            [("data-src", example.frame)],
            [("data-consent", key)],
            [("data-poster", poster)] if example.video else [],
            [("width", example.width), ("height", example.height)],
            [("title", example.title)],
            [*example.frame_attributes, *([("allowfullscreen", None)] if example.video else [])],
        ]
        markup.append(f"<iframe{_attributes(lines)}></iframe>")
    return "\n".join(markup)


def embed_guide(services, domains: list[str]) -> list[dict]:
    """For each embed provider of the catalog: its kind, its consent key on this site, and
    its marked markup. A video's poster is shown on the site's first host name (an IP
    address or localhost, as a demo site has, would not read as "your own image")."""
    keys = {service.kind: service.slug for service in services}
    named = [domain for domain in domains if "." in domain and not _is_ip_address(domain)]
    poster = f"https://{named[0] if named else 'example.kz'}/images/poster.jpg"
    guide = []
    for kind in EMBEDS.values():
        key = keys.get(kind.kind, kind.kind)
        markup = marked_markup(kind.kind, key, poster)
        guide.append({"kind": kind, "key": key, "markup": markup, "note": EXAMPLES[kind.kind].note})
    return guide


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
