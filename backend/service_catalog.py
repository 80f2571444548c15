"""Catalog of the third parties Kelisim knows: who runs them, what they set, for how long.

Three types of kind, all defined here and nowhere else (the loader, the dashboard and the
banner read them from this module): ``script`` kinds are trackers whose scripts the loader
holds; ``embed`` kinds are players, maps, posts and forms a page embeds as a frame or by a
script, which the loader holds behind a placeholder; ``pixel`` kinds are image requests
(counters, retargeting hits), which the loader holds with the tracker they belong to. They
share one table, ``CATALOG``, so that an embed or a pixel has the same facts, texts and
translations as a tracker. ``KINDS`` are those a site can configure as its services:
scripts and embeds. A pixel is never a service of its own: it waits for its tracker's
service (``pixel_of``), or else for its category.
"""

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from flask import has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Either a translated text or "" where the site owner must fill it in (custom scripts).
# Never _l(""): gettext("") returns the catalog header, not an empty string.
Text = LazyString | str


# The facts the banner shows about every service, as describe() gives them.
INFO_FIELDS = ("name", "provider", "country", "purpose", "term")

# The types of kind (above): how a page pulls the third party in.
SCRIPT = "script"
EMBED = "embed"
PIXEL = "pixel"


@dataclass(frozen=True)
class ServiceKind:
    """One kind of third party, with the facts the banner shows about it."""

    kind: str
    # As the banner and the dashboard name it, in their language (Яндекс Метрика in kk and ru).
    name: Text
    default_category: str
    provider: Text
    country: Text
    cookies: tuple[str, ...]
    purpose: Text
    term: Text
    option_fields: tuple[str, ...]
    # Where the widget loads a managed service's script from; {id} is the first option field.
    script: str = ""
    # The vendor's ID (the first option field) as the vendor issues it, and an example of one.
    id_pattern: str = ""
    id_example: str = ""
    # False: Kelisim cannot load it itself (no first calls of its snippet, untested); the
    # operator's own tag is held instead.
    can_manage: bool = True
    # Parts of the URLs of its scripts: the loader holds a pasted tag whose URL has one until
    # the kind's service, or else default_category, is granted. The loader knows no tracker
    # but those listed here (publishing.loader_config); the first kind that matches wins.
    url_parts: tuple[str, ...] = ()
    # Google Consent Mode v2 applies: its defaults come before such a tag runs.
    consent_mode: bool = False
    # SCRIPT, EMBED or PIXEL (above); PIXEL kinds are not in KINDS.
    type: str = SCRIPT
    # The provider's privacy policy, which a placeholder links to.
    policy_url: str = ""
    # Parts of the URLs of its frames (<iframe src>) and of its images (<img src>, img.src =,
    # new Image()), matched as url_parts are: anywhere in the URL.
    frame_parts: tuple[str, ...] = ()
    image_parts: tuple[str, ...] = ()
    # Globals that a page's inline code calls and that only its script defines (2GIS's
    # `new DGWidgetLoader({...})`): such calls must be queued while the script is held.
    globals: tuple[str, ...] = ()
    # False: its script only serves its frames (Yandex Forms' embed.js sizes them), and the
    # frames have the placeholders; True: the script builds the embed where it stands.
    script_shows: bool = True
    # A script API that calls the page back when it is ready, as (callback, global,
    # constructor): YouTube's iframe API calls onYouTubeIframeAPIReady, where the page
    # builds each player by `new YT.Player(target, {width, height, ...})`. While the API
    # waits, the page's callback is called once with a stand-in whose constructor shows a
    # placeholder in each target; the real API calls it again once released.
    api_ready: tuple[str, str, str] | None = None
    # What a player's URL gets when the visitor clicked its placeholder to load it, so that
    # one click plays.
    autoplay: str = ""
    # The tracker kind a pixel belongs to: the pixel will be released with that kind's
    # service where the site has one, else by its own default_category.
    pixel_of: str = ""

    def script_url(self, options: dict) -> str:
        """The script of a managed service with these options ("" if it has none)."""
        if not self.script:
            return options.get("src") or ""
        return self.script.format(id=quote(str(options.get(self.option_fields[0], "")), safe=""))


# Providers are the legal entities that receive the data from a visitor in Kazakhstan;
# countries and terms follow the vendors' own cookie documentation.
_RUSSIA = _l("Russia")
_USA = _l("USA")

_TRACKERS = (
    ServiceKind(
        kind="yandex_metrica",
        # TRANSLATORS: names of trackers: the form their vendor uses in the language.
        name=_l("Yandex.Metrica"),
        default_category="analytics",
        provider=_l("Yandex LLC"),
        country=_RUSSIA,
        # _ym_* also covers _ym_hostIndex, _ym_metrika_enabled and friends when deleting.
        cookies=("_ym_uid", "_ym_d", "_ym_isad", "_ym_visorc", "_ym_*"),
        purpose=_l("Visit statistics: pages viewed, time on site, traffic sources."),
        # _ym_uid and _ym_d live 1 year; _ym_isad 2 days, _ym_visorc 30 minutes.
        term=_l("up to 1 year"),
        option_fields=("counter_id", "webvisor"),
        script="https://mc.yandex.ru/metrika/tag.js?id={id}",
        id_pattern=r"\d{5,10}",
        id_example="12345678",
        # tag.js and the older watch.js, on mc.yandex.ru or another Yandex domain.
        url_parts=("mc.yandex.",),
    ),
    ServiceKind(
        kind="google_analytics",
        name=_l("Google Analytics 4"),
        default_category="analytics",
        provider=_l("Google LLC"),
        country=_USA,
        cookies=("_ga", "_ga_*", "_gid"),
        purpose=_l("Visit statistics and reports on how the site is used."),
        # _ga and _ga_<ID> live 2 years; _gid 24 hours.
        term=_l("up to 2 years"),
        option_fields=("measurement_id", "consent_mode"),
        script="https://www.googletagmanager.com/gtag/js?id={id}",
        id_pattern=r"G-[A-Z0-9]{6,12}",
        id_example="G-ABC123DEF4",
        # gtag.js, and the older analytics.js and ga.js.
        url_parts=("googletagmanager.com/gtag/", "google-analytics.com/"),
        consent_mode=True,
    ),
    ServiceKind(
        kind="google_tag_manager",
        name=_l("Google Tag Manager"),
        default_category="analytics",
        provider=_l("Google LLC"),
        country=_USA,
        # GTM sets no cookies itself; the tags it loads are listed as their own services.
        cookies=(),
        purpose=_l("Loads the site's other tags and scripts."),
        term=_l("Sets no cookies"),
        option_fields=("container_id",),
        script="https://www.googletagmanager.com/gtm.js?id={id}",
        id_pattern=r"GTM-[A-Z0-9]{4,12}",
        id_example="GTM-ABC1234",
        url_parts=("googletagmanager.com/gtm.",),
        consent_mode=True,
    ),
    ServiceKind(
        kind="meta_pixel",
        name=_l("Meta Pixel"),
        default_category="marketing",
        # Meta Platforms Ireland serves only the European Region; Kazakhstan gets Inc.
        provider=_l("Meta Platforms, Inc."),
        country=_USA,
        cookies=("_fbp", "_fbc"),
        purpose=_l("Measures ad results and shows ads on Facebook and Instagram."),
        term=_l("90 days"),
        option_fields=("pixel_id",),
        script="https://connect.facebook.net/en_US/fbevents.js#{id}",
        id_pattern=r"\d{15,16}",
        id_example="123456789012345",
        url_parts=("connect.facebook.net/",),
    ),
    ServiceKind(
        kind="vk_pixel",
        name=_l("VK Ads pixel"),
        default_category="marketing",
        # Operator of VK Ads and Top@Mail.ru (formerly Mail.Ru Group's Russian company).
        provider=_l("VK LLC"),
        country=_RUSSIA,
        cookies=("tmr_lvid", "tmr_lvidTS", "tmr_detect", "tmr_reqNum"),
        purpose=_l("Measures ad results and shows ads on VK services."),
        # tmr_lvid and tmr_lvidTS live 1 year; tmr_detect is short-lived.
        term=_l("up to 1 year"),
        option_fields=("pixel_id",),
        script="https://top-fwz1.mail.ru/js/code.js#{id}",
        # VK Ads pixels are Top@Mail.ru counters (digits); the older VK retargeting pixel
        # (vk.com/js/api/openapi.js) has IDs like VK-RTRG-457428-4jcvO, and only its
        # pasted tag can be held: the widget loads the VK Ads one.
        id_pattern=r"\d{1,10}|VK-RTRG-\d{1,10}-[A-Za-z0-9]{5}",
        id_example="3162545",
        # The VK Ads / Top@Mail.ru counter and VK's retargeting (openapi.js, rtrg).
        url_parts=("top-fwz1.mail.ru/", "vk.com/js/api/openapi", "vk.com/rtrg"),
    ),
    ServiceKind(
        kind="top_mail_ru",
        name="Top@Mail.ru",
        default_category="analytics",
        provider=_l("VK LLC"),
        country=_RUSSIA,
        cookies=("tmr_lvid", "tmr_lvidTS", "tmr_detect", "tmr_reqNum"),
        purpose=_l("Visit statistics and site ratings of Top@Mail.ru (VK)."),
        # tmr_lvid and tmr_lvidTS live 1 year; tmr_detect and tmr_reqNum are short-lived.
        term=_l("up to 1 year"),
        option_fields=("counter_id",),
        # The same counter script as the VK Ads pixel, so no URL parts of its own: a pasted
        # counter is held as VK's, or as this service where one is configured (by its
        # script). Managed loading is not offered until it is tested in a browser.
        script="https://top-fwz1.mail.ru/js/code.js",
        id_pattern=r"\d{1,10}",
        id_example="3162545",
        can_manage=False,
    ),
    ServiceKind(
        kind="tiktok_pixel",
        name=_l("TikTok Pixel"),
        default_category="marketing",
        # TikTok's controller for users outside the EEA, UK and US.
        provider=_l("TikTok Pte. Ltd."),
        country=_l("Singapore"),
        # ttcsid and ttcsid_<pixel code>: the session ID TikTok's pixel keeps as a
        # first-party cookie since its 2023 cookie update, one per pixel on the page.
        cookies=("_ttp", "_tt_enable_cookie", "ttcsid", "ttcsid_*"),
        purpose=_l("Measures ad results and shows ads on TikTok."),
        # TikTok: pixel cookies expire 13 months after being set or last used.
        term=_l("13 months"),
        option_fields=("pixel_id",),
        script="https://analytics.tiktok.com/i18n/pixel/events.js?lib=ttq&sdkid={id}",
        id_pattern=r"[A-Z0-9]{20}",
        id_example="C4ABCDEFGHIJ12345678",
        url_parts=("analytics.tiktok.com/",),
    ),
    ServiceKind(
        kind="custom",
        # The site owner names a custom script and says who runs it, where and how long.
        name="",
        default_category="functional",
        provider="",
        country="",
        cookies=(),
        purpose=_l("Script added by the site owner."),
        term="",
        option_fields=("src",),
    ),
)

# Embeds and pixels. Sources of the facts, as found (December 2026):
# - providers: Google LLC (YouTube, Google Maps), ООО «Яндекс» (Maps, Forms, Metrica), ООО
#   «ВК» (VK Video, VK's pixels, Top@Mail.ru) and Meta Platforms, Inc. (Instagram, Meta's
#   pixel) as for the trackers above. Rutube: ООО «Руформ», "administrator and rights
#   holder of Rutube.ru" (rutube.ru/info/subscription). 2GIS: ООО «ДубльГИС», Novosibirsk,
#   which runs widgets.2gis.com; its policies for Uzbekistan and Azerbaijan name it as the
#   administrator (law.2gis.uz/privacy, law.2gis.az/privacy), Kyrgyzstan's names a local
#   partner for personal data and ООО «ДубльГИС» for the rest (law.2gis.kg/privacy-partner);
#   Kazakhstan's partner, if any, is not confirmed: check law.2gis.kz/partners-list.
#   Telegram: Telegram Messenger Inc., the controller in telegram.org/privacy (summarised
#   at conductatlas.com), registered in the British Virgin Islands, run from Dubai
#   (leave-russia.org/telegram). LiveInternet's operator is not confirmed by any source at
#   hand: its brand name stands until it is.
# - cookies: the Open Cookie Database (jkwakman/Open-Cookie-Database, Apache-2.0, commit
#   0ee5a17; see NOTICE and licenses/) where it lists them, the providers' own pages
#   otherwise. These are the provider's cookies, set on its domain (third-party): the banner
#   names them, and no withdrawal can delete them from the page. Where no source lists
#   them, cookies is empty and the term says the provider does not state them.
# - URL parts: the embed codes the providers hand out, as in tests/data/embeds/.
_NOT_STATED = _l("Not stated by the provider")
_VIDEO = _l("Plays the video embedded on this page from the provider's servers.")
_MAP = _l("Shows the interactive map embedded on this page.")

_EMBEDS = (
    ServiceKind(
        kind="youtube",
        name="YouTube",
        default_category="functional",
        provider=_l("Google LLC"),
        country=_USA,
        # youtube-nocookie.com sets none of these until the video plays.
        cookies=("YSC", "VISITOR_INFO1_LIVE", "VISITOR_PRIVACY_METADATA", "__Secure-ROLLOUT_TOKEN"),
        purpose=_VIDEO,
        # YSC: the session; VISITOR_INFO1_LIVE 179 days, the others 180 days.
        term=_l("up to 6 months"),
        option_fields=(),
        autoplay="autoplay=1",
        type=EMBED,
        can_manage=False,
        policy_url="https://policies.google.com/privacy",
        frame_parts=("youtube.com/embed/", "youtube-nocookie.com/embed/"),
        # The iframe API, which builds the player's frame (new YT.Player runs in the page's
        # onYouTubeIframeAPIReady, which the API calls: no call to queue).
        url_parts=("youtube.com/iframe_api",),
        api_ready=("onYouTubeIframeAPIReady", "YT", "Player"),
    ),
    ServiceKind(
        kind="rutube",
        name="Rutube",
        default_category="functional",
        provider=_l("RUFORM LLC"),
        country=_RUSSIA,
        cookies=(),
        purpose=_VIDEO,
        term=_NOT_STATED,
        option_fields=(),
        autoplay="autoplay=1",
        type=EMBED,
        can_manage=False,
        policy_url="https://rutube.ru/info/privacy/",
        frame_parts=("rutube.ru/play/embed/",),
    ),
    ServiceKind(
        kind="vk_video",
        name=_l("VK Video"),
        default_category="functional",
        provider=_l("VK LLC"),
        country=_RUSSIA,
        cookies=(),
        purpose=_VIDEO,
        term=_NOT_STATED,
        option_fields=(),
        autoplay="autoplay=1",
        type=EMBED,
        can_manage=False,
        policy_url="https://vk.com/privacy",
        frame_parts=("/video_ext.php",),  # vk.com, vkvideo.ru, vk.ru
    ),
    ServiceKind(
        kind="yandex_maps",
        name=_l("Yandex Maps"),
        default_category="functional",
        provider=_l("Yandex LLC"),
        country=_RUSSIA,
        # Yandex's visitor IDs on .yandex.ru, 1 year each (Open Cookie Database).
        cookies=("yandexuid", "yuidss", "ymex"),
        purpose=_MAP,
        term=_l("up to 1 year"),
        option_fields=(),
        type=EMBED,
        can_manage=False,
        policy_url="https://yandex.ru/legal/confidential/",
        frame_parts=("/map-widget/v1/",),  # yandex.ru, .kz, .com, ...
        # The map constructor's script, which writes the map where it is included.
        url_parts=("api-maps.yandex.ru/services/constructor/",),
    ),
    ServiceKind(
        kind="2gis",
        name=_l("2GIS"),
        default_category="functional",
        provider=_l("DoubleGIS LLC"),
        country=_RUSSIA,
        cookies=(),
        purpose=_l("Shows the map with the company's card from 2GIS."),
        term=_NOT_STATED,
        option_fields=(),
        type=EMBED,
        can_manage=False,
        policy_url="https://law.2gis.kz/privacy",
        # The frame DGWidgetLoader builds (widgets.2gis.com/widget?type=firmsonmap&...).
        frame_parts=("widgets.2gis.com/widget",),
        url_parts=("/DGWidgetLoader.js",),
        globals=("DGWidgetLoader",),
    ),
    ServiceKind(
        kind="google_maps",
        name=_l("Google Maps"),
        default_category="functional",
        provider=_l("Google LLC"),
        country=_USA,
        # OGPC 1 month, OGP 2 months (Open Cookie Database); NID 6 months (Google).
        cookies=("NID", "OGPC", "OGP"),
        purpose=_MAP,
        term=_l("up to 6 months"),
        option_fields=(),
        type=EMBED,
        can_manage=False,
        policy_url="https://policies.google.com/privacy",
        frame_parts=("google.com/maps/embed",),
    ),
    ServiceKind(
        kind="telegram",
        name="Telegram",
        default_category="functional",
        provider="Telegram Messenger Inc.",
        country=_l("British Virgin Islands"),
        # Telegram states it uses no cookies for profiling and lists none for its widgets.
        cookies=(),
        purpose=_l("Shows a Telegram channel's post or its comments."),
        term=_NOT_STATED,
        option_fields=(),
        type=EMBED,
        can_manage=False,
        policy_url="https://telegram.org/privacy",
        # The widget script builds a frame from t.me for the post it names.
        url_parts=("telegram.org/js/telegram-widget.js",),
    ),
    ServiceKind(
        kind="instagram",
        name="Instagram",
        default_category="functional",
        provider=_l("Meta Platforms, Inc."),
        country=_USA,
        # ig_did, ig_cb and mid: 9 years (Open Cookie Database).
        cookies=("ig_did", "ig_cb", "mid"),
        purpose=_l("Shows an Instagram post embedded on this page."),
        term=_l("up to 9 years"),
        option_fields=(),
        type=EMBED,
        can_manage=False,
        policy_url="https://privacycenter.instagram.com/policy",
        # embed.js turns the page's blockquote.instagram-media into the post's frame.
        url_parts=("instagram.com/embed.js",),
    ),
    ServiceKind(
        kind="yandex_forms",
        name=_l("Yandex Forms"),
        default_category="functional",
        provider=_l("Yandex LLC"),
        country=_RUSSIA,
        cookies=("yandexuid", "yuidss", "ymex"),
        purpose=_l("Shows a form from Yandex Forms; what you enter is sent to Yandex."),
        term=_l("up to 1 year"),
        option_fields=(),
        script_shows=False,
        type=EMBED,
        can_manage=False,
        policy_url="https://yandex.ru/legal/confidential/",
        # forms.yandex.ru/u/<form>/?iframe=1, and embed.js, which sizes that frame.
        frame_parts=("forms.yandex.ru/u/",),
        url_parts=("forms.yandex.ru/_static/embed.js",),
    ),
)

# A <noscript> image loads only where scripts are off, and there no loader runs: what a
# held pixel is for are the images a script requests (LiveInternet's counter, the older
# Rating@Mail.ru code's document.write, VK's `new Image().src =`).
_PIXELS = (
    ServiceKind(
        kind="liveinternet",
        name=_l("LiveInternet counter"),
        default_category="analytics",
        provider="LiveInternet",
        country=_RUSSIA,
        cookies=(),
        purpose=_l("Counts page views and visitors for LiveInternet's public statistics."),
        term=_NOT_STATED,
        option_fields=(),
        type=PIXEL,
        policy_url="https://www.liveinternet.ru/about/",
        image_parts=("counter.yadro.ru/hit",),
    ),
    ServiceKind(
        kind="top_mail_ru_image",
        name=_l("Top@Mail.ru counter image"),
        default_category="analytics",
        provider=_l("VK LLC"),
        country=_RUSSIA,
        cookies=(),
        purpose=_l("Visit statistics and site ratings of Top@Mail.ru (VK)."),
        term=_NOT_STATED,
        option_fields=(),
        type=PIXEL,
        policy_url="https://vk.com/privacy",
        # top-fwz1.mail.ru today; Rating@Mail.ru's codes used dX.cX.bX.aX.top.mail.ru.
        image_parts=("mail.ru/counter",),  # top-fwz1.mail.ru, top.mail.ru
        pixel_of="top_mail_ru",
    ),
    ServiceKind(
        kind="vk_retargeting_image",
        name=_l("VK retargeting pixel"),
        default_category="marketing",
        provider=_l("VK LLC"),
        country=_RUSSIA,
        cookies=(),
        purpose=_l("Measures ad results and shows ads on VK services."),
        term=_NOT_STATED,
        option_fields=(),
        type=PIXEL,
        policy_url="https://vk.com/privacy",
        image_parts=("vk.com/rtrg",),
        pixel_of="vk_pixel",
    ),
    ServiceKind(
        kind="meta_pixel_image",
        name=_l("Meta Pixel image"),
        default_category="marketing",
        provider=_l("Meta Platforms, Inc."),
        country=_USA,
        # fr: Meta's advertising ID on facebook.com, 90 days (Open Cookie Database).
        cookies=("fr",),
        purpose=_l("Measures ad results and shows ads on Facebook and Instagram."),
        term=_l("90 days"),
        option_fields=(),
        type=PIXEL,
        policy_url="https://www.facebook.com/privacy/policy/",
        # www.facebook.com/tr?id=...&ev=..., as <noscript> or as an event's own <img>.
        image_parts=("facebook.com/tr?",),
        pixel_of="meta_pixel",
    ),
    ServiceKind(
        kind="yandex_metrica_image",
        name=_l("Yandex.Metrica image"),
        default_category="analytics",
        provider=_l("Yandex LLC"),
        country=_RUSSIA,
        cookies=("yandexuid", "yuidss", "ymex"),
        purpose=_l("Visit statistics: pages viewed, time on site, traffic sources."),
        term=_l("up to 1 year"),
        option_fields=(),
        type=PIXEL,
        policy_url="https://yandex.ru/legal/confidential/",
        image_parts=("mc.yandex.",),
        pixel_of="yandex_metrica",
    ),
)

# Every kind Kelisim knows, of every type.
CATALOG: dict[str, ServiceKind] = {kind.kind: kind for kind in _TRACKERS + _EMBEDS + _PIXELS}
# The kinds a site can configure as services (the add-a-tracker list, the services' table).
KINDS: dict[str, ServiceKind] = {key: kind for key, kind in CATALOG.items() if kind.type != PIXEL}
# The embeds, whose held frames and scripts show a placeholder.
EMBEDS: dict[str, ServiceKind] = {key: kind for key, kind in CATALOG.items() if kind.type == EMBED}


@cache
def url_table() -> dict[str, list]:
    """The kinds the loader recognises by URL, as {kind: [category, [script URL parts],
    [frame URL parts], [image URL parts], [globals]]}: trailing empty lists are left out,
    but an embed's row always has its globals (the loader tells embeds, which get a
    placeholder, by that fifth entry), and a sixth, 1, when its script has no placeholder
    of its own: its frames (``script_shows``) or its API's players (``api_ready``) stand for
    it. A compact table: every page view downloads it. A pixel's image parts are in the row
    of the tracker it belongs to (``pixel_of``), so that its hits wait for that tracker's
    service."""
    rows: dict[str, list] = {}
    for kind in CATALOG.values():
        owner = kind.pixel_of or kind.kind
        row = rows.setdefault(owner, [CATALOG[owner].default_category, [], [], [], []])
        for index, parts in enumerate((kind.url_parts, kind.frame_parts, kind.image_parts), 1):
            row[index] += parts
        row[4] += kind.globals
        if kind.type == EMBED and (not kind.script_shows or kind.api_ready):
            row.append(1)
    table = {}
    for key, row in rows.items():
        if CATALOG[key].type != EMBED:
            del row[4]
            while len(row) > 1 and not row[-1]:
                row.pop()
        if len(row) > 1:
            table[key] = row
    return table


def describe(kind: str, language: str) -> dict:
    """Return a kind's visitor-facing facts (of any type) as plain strings in ``language``."""
    # Raises KeyError for an unknown kind.
    facts = _described(kind, language)
    return {**facts, "cookies": list(facts["cookies"])}


@cache
def _described(kind: str, language: str) -> dict:
    """A kind's facts, translated once per process (every publish needs them)."""
    if not has_app_context():  # force_locale would do nothing: English, kept for good
        raise RuntimeError("Service facts are translated in an app context.")
    service = CATALOG[kind]
    with force_locale(language):
        return {
            "name": str(service.name),
            "provider": str(service.provider),
            "country": str(service.country),
            "cookies": list(service.cookies),
            "purpose": str(service.purpose),
            "term": str(service.term),
        }
