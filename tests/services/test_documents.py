"""The generated documents of five operators set up as the Kazakh operators Kelisim was
designed from: in kk, ru and en each promises what such an operator's policy must, and
nothing false (no provider the site lacks, no cross-border transfer where there is none);
on SQLite and PostgreSQL."""

from dataclasses import dataclass, field

import pytest

from backend.extensions import db
from backend.models import DocumentInputs
from backend.services.document_inputs import found_kinds, inputs_for
from backend.services.documents import DOCUMENTS, build, render_html
from backend.site_rules import bin_is_valid
from tests.factories import make_service, make_site

LANGUAGES = ("kk", "ru", "en")
# The facts as each language names them (the catalog's providers and countries).
YANDEX = {"kk": "«Яндекс» ЖШС", "ru": "ООО «Яндекс»", "en": "Yandex LLC"}
GOOGLE = {"kk": "Google LLC", "ru": "Google LLC", "en": "Google LLC"}
META = {"kk": "Meta Platforms, Inc.", "ru": "Meta Platforms, Inc.", "en": "Meta Platforms, Inc."}
VK = {"kk": "«ВК» ЖШС", "ru": "ООО «ВК»", "en": "VK LLC"}
TIKTOK = {"kk": "TikTok Pte. Ltd.", "ru": "TikTok Pte. Ltd.", "en": "TikTok Pte. Ltd."}
PROVIDERS = {"yandex": YANDEX, "google": GOOGLE, "meta": META, "vk": VK, "tiktok": TIKTOK}
RUSSIA = {"kk": "Ресей", "ru": "Россия", "en": "Russia"}
USA = {"kk": "АҚШ", "ru": "США", "en": "USA"}
WEBVISOR = {"kk": "Вебвизор", "ru": "Вебвизор", "en": "Webvisor"}
# Sentences that decide what the policy says about the border and about Article 12.
CROSS_BORDER = {
    "kk": "трансшекаралық беру мына мемлекеттерге",
    "ru": "Трансграничная передача персональных данных осуществляется в",
    "en": "transferred across the border to these states",
}
NO_CROSS_BORDER = {
    "kk": "трансшекаралық беру жүзеге асырылмайды",
    "ru": "трансграничная передача не осуществляется",
    "en": "there is no cross-border transfer",
}
ARTICLE_12 = {
    "kk": "Қазақстан Республикасының аумағында орналасқан базада",
    "ru": "в базе, находящейся на территории Республики Казахстан",
    "en": "in a database located in the territory of the Republic of Kazakhstan",
}
THREE_YEARS = {"kk": "3 жыл", "ru": "3 года", "en": "3 years"}
ONE_YEAR = {"kk": "1 жыл", "ru": "1 год", "en": "1 year"}
SIX_MONTHS = {"kk": "6 ай", "ru": "6 месяцев", "en": "6 months"}


def with_check_digit(first_eleven: str) -> str:
    """A 12-digit BIN whose check digit is right (registration office numbers are real)."""
    for digit in "0123456789":
        if bin_is_valid(first_eleven + digit):
            return first_eleven + digit
    raise AssertionError("no check digit fits")


@dataclass
class Operator:
    """One operator's set-up and what its documents must and must not say."""

    legal_name: str
    bin: str
    address: str
    email: str
    phone: str
    domain: str
    hosting: tuple[str, str, str]  # provider, country code, city
    services: list[tuple[str, dict]]
    providers: set[str]  # keys of PROVIDERS
    countries: list[dict[str, str]]
    webvisor: bool
    forms: list[dict] = field(default_factory=list)
    retention_months: int = 36
    languages: list[str] = field(default_factory=lambda: ["kk", "ru", "en"])
    measures: list[str] = field(default_factory=lambda: ["tls", "access", "backups"])


OPERATORS = {
    "cinema": Operator(
        legal_name="ТОО «Киноцентр Арман»",
        bin=with_check_digit("05084001234"),
        address="г. Алматы, пр. Достык, 50",
        email="privacy@arman-kino.kz",
        phone="+7 727 355 00 00",
        domain="arman-kino.kz",
        hosting=("ТОО «PS Internet Company»", "kz", "Алматы"),
        services=[
            ("yandex_metrica", {"counter_id": "44556677", "webvisor": False}),
            ("google_analytics", {"measurement_id": "G-ARMAN12345"}),
        ],
        providers={"yandex", "google"},
        countries=[RUSSIA, USA],
        webvisor=False,
    ),
    "kazakh_film_service": Operator(
        legal_name="«Қазақ Фильм Онлайн» ЖШС",
        bin=with_check_digit("18044002345"),
        address="Астана қ., Мәңгілік Ел даңғылы, 55/20",
        email="derbes@kinokz.kz",
        phone="+7 7172 55 12 34",
        domain="kinokz.kz",
        hosting=("«Қазақтелеком» АҚ", "kz", "Астана"),
        services=[("yandex_metrica", {"counter_id": "91827364", "webvisor": False})],
        providers={"yandex"},
        countries=[RUSSIA],
        webvisor=False,
        forms=[
            {
                "name": "Кері байланыс",
                "fields": ["name", "email", "message"],
                "purpose": "feedback",
                "storage_months": 12,
                "recipients": "",
            },
        ],  # fmt: skip
        languages=["kk", "ru"],
    ),
    "online_school": Operator(
        legal_name="ТОО «Онлайн Мектеп»",
        bin=with_check_digit("20064003456"),
        address="г. Алматы, ул. Сатпаева, 90/20",
        email="data@onlinemektep.kz",
        phone="+7 700 123 45 67",
        domain="onlinemektep.kz",
        hosting=("ТОО «Hoster.KZ»", "kz", "Алматы"),
        services=[
            ("google_analytics", {"measurement_id": "G-MEKTEP2024"}),
            ("meta_pixel", {"pixel_id": "123456789012345"}),
            ("tiktok_pixel", {"pixel_id": "C4ABCDEFGHIJ12345678"}),
        ],
        providers={"google", "meta", "tiktok"},
        countries=[USA, {"kk": "Сингапур", "ru": "Сингапур", "en": "Singapore"}],
        webvisor=False,
        forms=[
            {
                "name": "Запись на курс",
                "fields": ["name", "phone", "email", "child_name"],
                "purpose": "enrolment",
                "storage_months": 36,
                "recipients": "",
            },
            {
                "name": "Акции и скидки",
                "fields": ["email"],
                "purpose": "newsletter",
                "storage_months": 12,
                "recipients": "ТОО «Рассылки KZ» (e-mail рассылки)",
            },
        ],  # fmt: skip
    ),
    "eco_services": Operator(
        legal_name="ТОО «ЭкоСервис Астана»",
        bin=with_check_digit("16124004567"),
        address="г. Астана, ул. Кенесары, 40",
        email="info@ecoservice.kz",
        phone="+7 7172 70 70 70",
        domain="ecoservice.kz",
        hosting=("ТОО «PS Internet Company»", "kz", "Астана"),
        services=[
            ("yandex_metrica", {"counter_id": "55667788", "webvisor": False}),
            ("vk_pixel", {"pixel_id": "3162545"}),
        ],
        providers={"yandex", "vk"},
        countries=[RUSSIA],
        webvisor=False,
        retention_months=12,
    ),
    "service_company": Operator(
        legal_name="ТОО «Сервис Плюс KZ»",
        bin=with_check_digit("11034005678"),
        address="г. Алматы, ул. Толе би, 101",
        email="pd@servisplus.kz",
        phone="+7 727 222 33 44",
        domain="servisplus.kz",
        hosting=("ТОО «Cloud Services Kazakhstan»", "kz", "Алматы"),
        services=[("yandex_metrica", {"counter_id": "12345678", "webvisor": True})],
        providers={"yandex"},
        countries=[RUSSIA],
        webvisor=True,
        forms=[
            {
                "name": "Обратная связь",
                "fields": ["name", "phone", "email", "message"],
                "purpose": "feedback",
                "storage_months": 36,
                "recipients": "",
            },
        ],  # fmt: skip
    ),
}


def set_up(operator: Operator):
    site = make_site(
        name=operator.domain,
        domains=[operator.domain],
        legal_name=operator.legal_name,
        bin=operator.bin,
        address=operator.address,
        contact_email=operator.email,
        languages=operator.languages,
        retention_months=operator.retention_months,
    )
    for kind, options in operator.services:
        make_service(site, kind, options=options)
    provider, country, city = operator.hosting
    db.session.add(
        DocumentInputs(
            site_id=site.id, hosting_provider=provider, hosting_country=country,
            hosting_city=city, contact_phone=operator.phone, forms=operator.forms,
            measures=operator.measures, request_subject="Персональные данные",
            request_days=10, extra_sections=[],
        )
    )  # fmt: skip
    db.session.commit()
    return site


def documents_of(site, language: str) -> dict[str, str]:
    inputs = inputs_for(db.session, site)
    kinds = found_kinds(db.session, site)
    return {name: build(name, site, inputs, language, kinds).text() for name in DOCUMENTS}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", OPERATORS)
def test_each_operators_documents_promise_what_its_policy_must_and_nothing_false(
    app, key, language
):
    operator = OPERATORS[key]
    site = set_up(operator)
    docs = documents_of(site, language)
    policy, consent, cookies = docs["privacy-policy"], docs["consent"], docs["cookies"]

    for text in docs.values():
        assert operator.legal_name in text and operator.bin in text
    assert operator.address in policy and operator.email in policy and operator.phone in policy
    # The trackers, with their providers and countries; no provider the site lacks.
    for name, provider in PROVIDERS.items():
        for text in (policy, cookies):
            assert (provider[language] in text) == (name in operator.providers), (name, text)
    for country in operator.countries:
        assert country[language] in policy and country[language] in cookies
    # Cross-border transfer: named with its countries, in the sentence that says so.
    border = next(line for line in policy.splitlines() if CROSS_BORDER[language] in line)
    assert all(country[language] in border for country in operator.countries)
    assert NO_CROSS_BORDER[language] not in policy
    # Storage in Kazakhstan (Art. 12), on the owner's hosting.
    storage = next(line for line in policy.splitlines() if ARTICLE_12[language] in line)
    assert operator.hosting[0] in storage and operator.hosting[2] in storage
    # Terms: consent (182 days, 6 months), records' retention, each form's storage.
    assert SIX_MONTHS[language] in policy
    retention = {36: THREE_YEARS, 12: ONE_YEAR}[operator.retention_months][language]
    assert retention in policy
    # Webvisor named where it records, and nowhere else.
    for text in (policy, cookies):
        assert (WEBVISOR[language] in text) == operator.webvisor
    assert (WEBVISOR[language] in consent) == (operator.webvisor and bool(operator.forms))
    # Forms: in the consent, with what they collect and for how long.
    for form in operator.forms:
        assert form["name"] in consent and form["name"] in policy
        term = {36: THREE_YEARS, 12: ONE_YEAR}[form["storage_months"]][language]
        row = next(line for line in consent.splitlines() if line.startswith(form["name"]))
        assert term in row
        if form["recipients"]:
            assert form["recipients"] in consent
    # Kelisim's own cookies, and each configured tracker's.
    for cookie in ("kelisim", "kelisim_unsent"):
        assert f"\n{cookie} |" in cookies
    for kind, _options in operator.services:
        assert {"yandex_metrica": "_ym_uid", "google_analytics": "_ga", "meta_pixel": "_fbp",
                "vk_pixel": "tmr_lvid", "tiktok_pixel": "_ttp"}[kind] in cookies  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_site_whose_data_stay_in_kazakhstan_claims_no_cross_border_transfer(app, language):
    site = make_site(domains=["dukenkz.kz"])
    make_service(
        site, "custom", category="functional",
        options={"src": "https://chat.dukenkz.kz/w.js",
                 "info": {language: {"name": "Чат", "provider": "ТОО «Дукен»",
                                     "country": {"kk": "Қазақстан", "ru": "Казахстан",
                                                 "en": "Kazakhstan"}[language]}}},
    )  # fmt: skip
    db.session.commit()
    policy = build("privacy-policy", site, None, language).text()
    assert NO_CROSS_BORDER[language] in policy
    assert CROSS_BORDER[language] not in policy
    for country in (RUSSIA, USA):
        assert country[language] not in policy
    # Hosting not filled in yet: no claim about where the servers are.
    assert ARTICLE_12[language] not in policy


@pytest.mark.parametrize("language", LANGUAGES)
def test_servers_abroad_are_a_cross_border_transfer_and_no_article_12_claim(app, language):
    site = make_site(domains=["abroad.kz"])
    db.session.add(DocumentInputs(
        site_id=site.id, hosting_provider="Hetzner Online GmbH", hosting_country="de",
        hosting_city="Falkenstein", forms=[{"name": "Contact", "fields": ["email"],
        "purpose": "feedback", "storage_months": 6, "recipients": ""}],
    ))  # fmt: skip
    db.session.commit()
    inputs = inputs_for(db.session, site)
    policy = build("privacy-policy", site, inputs, language).text()
    consent = build("consent", site, inputs, language).text()
    germany = {"kk": "Германия", "ru": "Германия", "en": "Germany"}[language]
    assert ARTICLE_12[language] not in policy
    assert NO_CROSS_BORDER[language] not in policy
    assert germany in policy and "Hetzner Online GmbH" in policy
    assert germany in consent


def test_a_tracker_found_on_the_pages_is_declared_with_its_cookies(app):
    from datetime import date

    from backend.models import FoundTracker

    site = make_site(domains=["found.kz"])
    db.session.add(FoundTracker(site_id=site.id, day=date(2026, 12, 1), kind="meta_pixel"))
    db.session.commit()
    cookies = documents_of(site, "en")["cookies"]
    assert "_fbp" in cookies and "Found on the site's pages" in cookies
    assert "Meta" not in documents_of(site, "en")["privacy-policy"]


def test_owner_text_is_rendered_as_text(app):
    site = make_site(legal_name='<script>alert("x")</script>', domains=["hostile.kz"])
    db.session.add(DocumentInputs(
        site_id=site.id, hosting_provider="<img src=x onerror=alert(1)>", hosting_country="kz",
        extra_sections=[{"language": "ru", "title": "<b>Своё</b>", "text": "<i>текст</i>"}],
    ))  # fmt: skip
    db.session.commit()
    with app.test_request_context():
        html = render_html(build("privacy-policy", site, inputs_for(db.session, site), "ru"))
    assert "<script>" not in html and "<img" not in html and "<b>Своё" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Своё&lt;/b&gt;" in html
