"""What a site publishes to visitors: its public config, and from it the loader's and the
banner's configs and the legal notice the consent must carry.

How those are turned into files, compressed and cached is delivery (backend/delivery/).
"""

import hashlib
import json
import re
from typing import Any

from backend.banner_texts import placeholder_texts, texts_for
from backend.models import Service, Site
from backend.schemas.public import SiteConfigSchema
from backend.service_catalog import EMBEDS, INFO_FIELDS, KINDS, describe, url_table
from backend.services.colours import theme
from backend.services.sites import is_web_url

# What the loader, which every page view downloads, needs: gating, not the banner.
LOADER_FIELDS = ("languages", "default_language")
LOADER_SERVICE_FIELDS = ("id", "kind", "category", "managed", "options")
# Texts the server fills into the banner's legal notice and operator line (banner_config);
# the banner itself never needs them.
SERVER_FILLED_TEXTS = (
    "operator_bin",
    "operator_address",
    "consent_term",
    "third_parties",
    "cross_border",
    "data_collected",
)
# What banner.js carries for its first layer, which most visitors never leave; the settings
# layer's texts and the services' details come with texts.js when the settings are opened.
FIRST_LAYER_TEXTS = (
    "title",
    "description",
    "policy_link",
    "accept_all",
    "reject_all",
    "settings",
    "language",
    "dialog_label",
    "open_settings",
)
HOME_COUNTRY = {"kazakhstan", "қазақстан", "казахстан"}
DEFAULT_ACCENT = "#1f5fbf"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def texts_hash(texts: dict[str, str]) -> str:
    """A fingerprint of the exact texts shown, stored with each event as proof."""
    canonical = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_config(site: Site, base_url: str) -> dict[str, Any]:
    """Everything the widget needs, and nothing an owner would not publish."""
    base_url = base_url.rstrip("/")
    texts = {lang: texts_for(lang, site.texts.get(lang)) for lang in site.languages}
    return SiteConfigSchema().dump(
        {
            "site": site.public_key,
            "version": site.config_version,
            "api": f"{base_url}/api/v1",
            "languages": list(site.languages),
            "default_language": site.default_language,
            "policy": {"version": site.policy_version, "reconsent_from": site.reconsent_from},
            "consent_days": site.consent_days,
            "respect_dnt": site.respect_dnt,
            "appearance": dict(site.appearance),
            "operator": {
                "name": site.legal_name,
                "bin": site.bin,
                "address": site.address,
                "email": site.contact_email,
                # A link visitors follow: a javascript: or data: URL would run on the page.
                "policy_urls": {
                    lang: url for lang, url in site.policy_urls.items() if is_web_url(url)
                },
            },
            "services": [_service_config(service, site.languages) for service in site.services],
            "texts": texts,
            "texts_hash": {lang: texts_hash(t) for lang, t in texts.items()},
        }
    )


def _service_config(service: Service, languages: list[str]) -> dict[str, Any]:
    options = dict(service.options)
    for key in (*INFO_FIELDS, "info", "cookies"):
        options.pop(key, None)
    return {
        "id": service.slug,
        "kind": service.kind,
        "category": service.category,
        "managed": service.managed,
        "options": options,
        "cookies": service_cookies(service),
        "info": service_info(service, languages),
    }


def service_info(service: Service, languages: list[str]) -> dict[str, dict[str, str]]:
    """What the banner says about a service in each language: the owner's text in that
    language (options["info"][lang]), else one text for every language (older services),
    else the catalog's. A fact only the owner gives (a custom script's provider) and gave
    in another language only is that text rather than nothing."""
    options = service.options
    overrides = options.get("info") or {}
    info = {}
    for lang in languages:
        described = describe(service.kind, lang)
        ours = overrides.get(lang) or {}
        info[lang] = {
            key: ours.get(key) or options.get(key) or described[key] for key in INFO_FIELDS
        }
    for facts in info.values():
        for key, value in facts.items():
            if not value:
                facts[key] = next((info[lang][key] for lang in languages if info[lang][key]), "")
    return info


def service_cookies(service: Service) -> list[str]:
    """The cookies the banner lists for a service: the owner's list, else the catalog's."""
    cookies = service.options.get("cookies")
    return list(KINDS[service.kind].cookies) if cookies is None else list(cookies)


def loader_config(config: dict[str, Any], files: str) -> dict[str, Any]:
    """The part of the config every page view needs: gating, not the banner.

    ``files`` is the URL of the folder of the banner's files published with this loader
    (banner.<language>.js, texts.<language>.js), ending in "/"."""
    slim = {key: config[key] for key in LOADER_FIELDS}
    # Whether a stored decision still counts; the current version is the banner's business.
    slim["reconsent_from"] = config["policy"]["reconsent_from"]
    slim["files"] = files
    slim["services"] = [_loader_service(service) for service in config["services"]]
    slim.update(known_trackers())
    return slim


def loader_parts(config: dict[str, Any]) -> list[str]:
    """The optional parts of the widget's loader (static/widget/src/parts/) a site's
    visitors get: the floating button where the site shows it. The loaders of other sites
    go without its code."""
    return ["floating_button"] if shown_appearance(config["appearance"])["floating_button"] else []


def known_trackers() -> dict[str, Any]:
    """What the loader knows of the catalog's kinds: ``kinds``, the table of those it
    recognises by URL (service_catalog.url_table), and ``consent_mode``, the kinds Google's
    Consent Mode applies to."""
    return {
        "kinds": url_table(),
        "consent_mode": [kind.kind for kind in KINDS.values() if kind.consent_mode],
    }


def widget_base(config: dict[str, Any]) -> str:
    """The URL the widget files and the API are under."""
    return config["api"].removesuffix("/api/v1")


def _loader_service(service: dict[str, Any]) -> dict[str, Any]:
    """A service as the loader sees it; ``src`` is the script it loads when managed (or, for
    a custom service, the script it holds when pasted)."""
    slim = {key: service[key] for key in LOADER_SERVICE_FIELDS}
    # Left out: the script (below), and Consent Mode "basic", the loader's default.
    slim["options"] = {
        key: value
        for key, value in service["options"].items()
        if key != "src" and (key, value) != ("consent_mode", "basic")
    }
    # A kind Kelisim cannot load itself is recognised by its script, so that its pasted tag
    # waits for this service rather than for the kind the loader takes that script for.
    kind = KINDS[service["kind"]]
    if service["managed"] or service["options"].get("src") or not kind.can_manage:
        slim["src"] = kind.script_url(service["options"])
    if not slim.get("src"):  # an embed: recognised by its kind's URL parts
        slim.pop("src", None)
    if not service["managed"]:
        del slim["managed"]
    return slim


def first_layer_config(config: dict[str, Any], language: str) -> dict[str, Any]:
    """banner.js's part of banner_config: the first layer's texts, and of the services only
    their cookies (a withdrawal deletes them). The banner asks for texts.js, which has it
    all, when the settings are opened."""
    pack = banner_config(config, language)
    pack["texts"] = {key: pack["texts"][key] for key in FIRST_LAYER_TEXTS}
    pack["operator"] = {"policy_url": pack["operator"]["policy_url"]}
    pack["services"] = {id_: {"cookies": info["cookies"]} for id_, info in pack["services"].items()}
    # The settings layer's, which the first layer never shows.
    del pack["embeds"], pack["embed_texts"]
    return pack


def banner_config(config: dict[str, Any], language: str) -> dict[str, Any]:
    """What the banner needs beyond the loader's config, in one language (texts.js): its
    texts (and their hash, sent with each event), the operator, the services' details, the
    look.

    The legal notice and the operator line are filled in here, once, rather than by code
    that every visitor would download."""
    texts = config["texts"][language]
    operator = config["operator"]
    infos = {service["id"]: service["info"][language] for service in config["services"]}
    optional = [infos[s["id"]] for s in config["services"] if s["category"] != "necessary"]
    look = shown_appearance(config["appearance"])
    pack = {
        # Where the events API is, and what each event names.
        "site": config["site"],
        "version": config["version"],
        "api": config["api"],
        "language": language,
        "texts": {key: value for key, value in texts.items() if key not in SERVER_FILLED_TEXTS},
        "texts_hash": config["texts_hash"][language],
        "policy_version": config["policy"]["version"],
        "legal": legal_notice(texts, operator, config["consent_days"], optional),
        "operator": {
            "line": operator_line(texts, operator),
            "email": operator.get("email"),
            "policy_url": operator.get("policy_urls", {}).get(language),
        },
        "services": {
            service["id"]: {**infos[service["id"]], "cookies": service["cookies"]}
            for service in config["services"]
        },
        "unconfigured_cookies": unconfigured_cookies(config["services"]),
        # The embeds the site has no service for, which the settings list where they are
        # held, under their kind's category.
        "embeds": {
            kind: {**describe(kind, language), "cookies": list(EMBEDS[kind].cookies)}
            for kind in EMBEDS
            if kind not in {service["kind"] for service in config["services"]}
        },
        "embed_texts": {
            key: text
            for key, text in placeholder_texts(language).items()
            if key in ("allow", "note")
        },
        "days": config["consent_days"],
        "theme": theme(look["accent"]),
    }
    # Defaults are left out: the banner assumes them.
    if config["respect_dnt"]:
        pack["respect_dnt"] = True
    if look["position"] != "bottom":
        pack["position"] = look["position"]
    return pack


def embed_config(config: dict[str, Any], language: str) -> dict[str, Any]:
    """What the placeholders of held embeds say, in one language (embed.js): their texts,
    and for each embed kind its name, provider, country, policy, autoplay parameter and
    the callback its script API calls when ready (api_ready); a kind the site has as a
    service is named as the owner named it."""
    infos = {
        service["kind"]: service["info"][language]
        for service in config["services"]
        if service["kind"] in EMBEDS
    }
    kinds = {}
    for key, kind in EMBEDS.items():
        facts = infos.get(key) or describe(key, language)
        kinds[key] = {
            "name": facts["name"],
            "provider": facts["provider"],
            "country": facts["country"],
            "policy": kind.policy_url,
        }
        if kind.autoplay:
            kinds[key]["autoplay"] = kind.autoplay
        if kind.api_ready:
            kinds[key]["api_ready"] = list(kind.api_ready)
    return {"language": language, "texts": placeholder_texts(language), "kinds": kinds}


def shown_appearance(appearance: dict[str, Any]) -> dict[str, Any]:
    """The look the banner gives itself from a site's stored appearance, every key filled
    in: a key not stored (or not usable) is the default. Two appearances look alike to
    visitors when these are equal."""
    position = appearance.get("position")
    accent = appearance.get("accent")
    usable = isinstance(accent, str) and HEX_COLOUR.fullmatch(accent)
    return {
        "position": position if position in ("top", "center") else "bottom",
        "accent": accent.lower() if usable else DEFAULT_ACCENT,
        "floating_button": bool(appearance.get("floating_button")),
    }


def unconfigured_cookies(services: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The cookies of the known trackers a site did not configure, by the category the
    loader holds such a tracker for when it is pasted: a withdrawal deletes them too.

    Only the kinds the loader recognises (known_trackers) can be pasted and held so; a
    cookie goes with the first of them that the catalog lists it under."""
    configured = {service["kind"] for service in services}
    cookies: dict[str, list[str]] = {}
    seen: set[str] = set()
    for kind in KINDS.values():
        # An embed's cookies are its provider's own (third-party): no page can delete them.
        if not kind.url_parts or kind.kind in EMBEDS:
            continue
        new = [cookie for cookie in kind.cookies if cookie not in seen]
        seen.update(kind.cookies)
        if kind.kind not in configured and new:
            cookies.setdefault(kind.default_category, []).extend(new)
    return cookies


def _unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _fill(text: str, name: str, value: Any) -> str:
    # Not %-formatting: an owner's text with a stray "%" must not break the banner.
    return text.replace(f"%({name})s", str(value))


def legal_notice(
    texts: dict[str, str], operator: dict[str, Any], days: int, infos: list[dict[str, Any]]
) -> str:
    """What a consent must name (Law No. 94-V, Art. 8): the operator, the term, the
    recipients, the countries the data goes to, the data collected."""
    providers = _unique(info["provider"] for info in infos)
    countries = [c for c in _unique(i["country"] for i in infos) if c.lower() not in HOME_COUNTRY]
    name, bin_ = operator.get("name"), operator.get("bin")
    sentences = [
        name and (f"{name}, {texts['operator_bin']} {bin_}" if bin_ else name),
        _fill(texts["consent_term"], "days", days),
        providers and _fill(texts["third_parties"], "providers", ", ".join(providers)),
        countries and _fill(texts["cross_border"], "countries", ", ".join(countries)),
        texts["data_collected"],
    ]
    return " ".join(f"{s.rstrip('.')}." for s in sentences if s)


def operator_line(texts: dict[str, str], operator: dict[str, Any]) -> str:
    """The operator's name, BIN and address, as the settings layer shows them."""
    name, bin_, address = (operator.get(key) for key in ("name", "bin", "address"))
    parts = [
        name,
        bin_ and f"{texts['operator_bin']} {bin_}",
        address and f"{texts['operator_address']}: {address}",
    ]
    return " · ".join(part for part in parts if part)
