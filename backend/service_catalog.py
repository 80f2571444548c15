"""Catalog of the tracker kinds Kelisim knows: who runs them, what they set, for how long."""

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


@dataclass(frozen=True)
class ServiceKind:
    """One kind of tracker, with the facts the banner shows about it."""

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

    def script_url(self, options: dict) -> str:
        """The script of a managed service with these options ("" if it has none)."""
        if not self.script:
            return options.get("src") or ""
        return self.script.format(id=quote(str(options.get(self.option_fields[0], "")), safe=""))


# Providers are the legal entities that receive the data from a visitor in Kazakhstan;
# countries and terms follow the vendors' own cookie documentation.
_RUSSIA = _l("Russia")
_USA = _l("USA")

KINDS: dict[str, ServiceKind] = {
    kind.kind: kind
    for kind in (
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
}


def describe(kind: str, language: str) -> dict:
    """Return a service kind's visitor-facing facts as plain strings in ``language``."""
    # Raises KeyError for an unknown kind.
    facts = _described(kind, language)
    return {**facts, "cookies": list(facts["cookies"])}


@cache
def _described(kind: str, language: str) -> dict:
    """A kind's facts, translated once per process (every publish needs them)."""
    if not has_app_context():  # force_locale would do nothing: English, kept for good
        raise RuntimeError("Service facts are translated in an app context.")
    service = KINDS[kind]
    with force_locale(language):
        return {
            "name": str(service.name),
            "provider": str(service.provider),
            "country": str(service.country),
            "cookies": list(service.cookies),
            "purpose": str(service.purpose),
            "term": str(service.term),
        }
