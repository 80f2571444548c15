"""Configuration as code: a site exported as one JSON file and imported into a new or an
existing site, through the command line; refused files change nothing. SQLite and
PostgreSQL."""

import copy
import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from backend.extensions import db
from backend.models import (
    AuditEntry,
    BannerVersion,
    DocumentInputs,
    Membership,
    Service,
    Site,
    User,
    new_public_key,
)
from backend.services.document_inputs import inputs_for
from backend.services.site_config import (
    ConfigError,
    config_json,
    export_config,
    import_config,
    read_config_file,
)
from tests.factories import make_service, make_site

CHAT = "https://cdn.chat.kz/widget.js"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def template(app) -> Site:
    """A site with everything a configuration holds changed from the defaults."""
    site = make_site(
        name="Кинотеатр «Арман»",
        domains=["arman.kz", "kino.arman.kz"],
        allow_subdomains=True,
        policy_urls={"kk": "https://arman.kz/kk/privacy", "ru": "https://arman.kz/privacy"},
        languages=["kk", "ru"],
        default_language="kk",
        timezone="Asia/Aqtobe",
        consent_days=365,
        retention_months=24,
        respect_dnt=True,
        appearance={"position": "center", "accent": "#7a1f1f", "floating_button": True},
        texts={"kk": {"title": "Біз cookie қолданамыз"}, "ru": {"accept_all": "Согласен"}},
    )
    make_service(
        site,
        "yandex_metrica",
        options={
            "counter_id": "12345678",
            "webvisor": True,
            "info": {"ru": {"purpose": "Статистика посещений кинотеатра."}},
            "cookies": ["_ym_uid", "_ym_d"],
        },
    )
    make_service(site, "google_analytics", managed=True, options={"measurement_id": "G-ABC123DEF4"})
    make_service(
        site,
        "custom",
        slug="chat",
        category="functional",
        options={
            "src": CHAT,
            "info": {
                lang: {
                    "name": "Онлайн-чат",
                    "provider": "ТОО «Чат»",
                    "country": "Казахстан",
                    "purpose": "Ответы на вопросы",
                    "term": "1 год",
                }
                for lang in ("kk", "ru")
            },
            "cookies": [],
        },
    )
    make_service(site, "youtube")
    db.session.add(
        DocumentInputs(
            site=site,
            hosting_provider="ТОО «PS Cloud Services»",
            hosting_country="kz",
            hosting_city="Алматы",
            forms=[
                {
                    "name": "Обратная связь",
                    "fields": ["name", "phone", "message"],
                    "purpose": "feedback",
                    "storage_months": 36,
                    "recipients": "",
                },
                {
                    "name": "Бронирование",
                    "fields": ["name", "email"],
                    "purpose": "booking",
                    "storage_months": 12,
                    "recipients": "ТОО «Билеты», CRM",
                },
            ],
            measures=["tls", "backups"],
            request_subject="Персональные данные",
            extra_sections=[{"language": "kk", "title": "Балалар", "text": "Бірінші.\n\nЕкінші."}],
        )
    )
    db.session.commit()
    return site


def owner_of(site: Site) -> User:
    return db.session.scalar(sa.select(User).join(Membership).where(Membership.site_id == site.id))


def without_key(config: dict) -> dict:
    config = copy.deepcopy(config)
    config["site"].pop("key")
    return config


def row_counts() -> dict[str, int]:
    """Rows of every table: what a refused import must leave as it was."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_export_holds_the_configuration_and_nothing_of_records_or_people(template):
    config = export_config(template)
    assert config["format"] == 1
    assert config["site"] == {
        "key": template.public_key,
        "name": "Кинотеатр «Арман»",
        "domains": ["arman.kz", "kino.arman.kz"],
        "allow_subdomains": True,
        "timezone": "Asia/Aqtobe",
    }
    assert config["banner"] == {
        "position": "center",
        "accent": "#7a1f1f",
        "floating_button": True,
        "respect_dnt": True,
        "texts": {"kk": {"title": "Біз cookie қолданамыз"}, "ru": {"accept_all": "Согласен"}},
    }
    metrica, ga, chat, youtube = config["services"]
    assert metrica == {
        "kind": "yandex_metrica",
        "id": "yandex_metrica",
        "category": "analytics",
        "managed": False,
        "options": {"counter_id": "12345678", "webvisor": True},
        "info": {"ru": {"purpose": "Статистика посещений кинотеатра."}},
        "cookies": ["_ym_uid", "_ym_d"],
    }
    assert ga["options"] == {"measurement_id": "G-ABC123DEF4"} and "info" not in ga
    assert chat["options"] == {"src": CHAT} and set(chat["info"]) == {"kk", "ru"}
    assert youtube == {
        "kind": "youtube",
        "id": "youtube",
        "category": "functional",
        "managed": False,
        "options": {},
    }
    # The document inputs, only what is set (no phone, no term for requests, no recipients).
    assert config["documents"] == {
        "hosting_provider": "ТОО «PS Cloud Services»",
        "hosting_country": "kz",
        "hosting_city": "Алматы",
        "forms": [
            {
                "name": "Обратная связь",
                "fields": ["name", "phone", "message"],
                "purpose": "feedback",
                "storage_months": 36,
            },
            {
                "name": "Бронирование",
                "fields": ["name", "email"],
                "purpose": "booking",
                "storage_months": 12,
                "recipients": "ТОО «Билеты», CRM",
            },
        ],
        "measures": ["tls", "backups"],
        "request_subject": "Персональные данные",
        "extra_sections": [{"language": "kk", "title": "Балалар", "text": "Бірінші.\n\nЕкінші."}],
    }
    text = config_json(config)
    for secret in ("password", "token", owner_of(template).email, "revision", "policy_version"):
        assert secret not in text
    assert json.loads(text) == config


def test_round_trip_into_a_new_site_is_exact(template):
    exported = export_config(template)
    site = import_config(
        db.session, json.loads(config_json(exported)), None, owner=owner_of(template)
    )
    db.session.commit()
    assert site.public_key != template.public_key
    assert without_key(export_config(site)) == without_key(exported)
    # The new site is published like one saved in the dashboard, and owned.
    assert db.session.scalar(sa.select(BannerVersion).where(BannerVersion.site_id == site.id))
    assert owner_of(site) == owner_of(template)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.site_id == site.id)
    ).all()
    assert actions[0] == "site.create" and actions[-1] == "site.import"
    assert actions.count("service.add") == 4
    assert "documents.update" in actions
    assert inputs_for(db.session, site).forms == inputs_for(db.session, template).forms


def test_a_site_without_document_inputs_exports_no_documents_section(app):
    site = make_site()
    db.session.commit()
    assert "documents" not in export_config(site)


def test_a_file_without_documents_keeps_the_sites_and_an_empty_section_clears_them(template):
    target = make_site(domains=["shop.kz"])
    db.session.add(DocumentInputs(site=target, hosting_country="de", measures=["tls"]))
    db.session.commit()
    older = export_config(template)
    del older["documents"]  # as a file written before the section existed
    import_config(db.session, older, None, site=target)
    db.session.commit()
    assert export_config(target)["documents"] == {"hosting_country": "de", "measures": ["tls"]}

    older["documents"] = {}
    import_config(db.session, older, None, site=target)
    db.session.commit()
    inputs = inputs_for(db.session, target)
    assert (inputs.hosting_country, inputs.measures) == ("", [])
    assert export_config(target)["documents"] == {}


def test_document_texts_are_trimmed_as_the_form_trims_them(template):
    config = export_config(template)
    config["documents"]["hosting_city"] = "  Астана "
    config["documents"]["extra_sections"][0]["text"] = " Бірінші.\r\n\r\nЕкінші.\n"
    site = import_config(db.session, config, None, owner=owner_of(template))
    db.session.commit()
    inputs = inputs_for(db.session, site)
    assert inputs.hosting_city == "Астана"
    assert inputs.extra_sections[0]["text"] == "Бірінші.\n\nЕкінші."


def test_import_replaces_an_existing_sites_configuration(client, template):
    target = make_site(domains=["shop.kz"])
    make_service(target, "meta_pixel", options={"pixel_id": "123456789012345"})
    make_service(target, "yandex_metrica", options={"counter_id": "87654321"})
    db.session.commit()
    metrica_id = target.services[1].id
    before = client.get(f"/api/v1/sites/{target.public_key}/config").get_json()
    assert [s["kind"] for s in before["services"]] == ["meta_pixel", "yandex_metrica"]

    import_config(db.session, export_config(template), None, site=target)
    db.session.commit()

    db.session.expire_all()
    target = db.session.get(Site, target.id)
    assert without_key(export_config(target)) == without_key(export_config(template))
    # The service of the same name and kind was changed in place, the pixel removed.
    kinds = {s.kind: s.id for s in target.services}
    assert kinds["yandex_metrica"] == metrica_id and "meta_pixel" not in kinds
    # What visitors get follows at once.
    after = client.get(f"/api/v1/sites/{target.public_key}/config").get_json()
    assert after["version"] > before["version"]
    assert [s["id"] for s in after["services"]] == [
        "yandex_metrica",
        "google_analytics",
        "chat",
        "youtube",
    ]
    assert after["texts"]["kk"]["title"] == "Біз cookie қолданамыз"
    assert after["appearance"]["position"] == "center"
    assert after["operator"]["policy_urls"]["kk"] == "https://arman.kz/kk/privacy"


def broken(change) -> dict:
    """The template's export with one change made by ``change(config)``."""

    def make(template: Site) -> dict:
        config = copy.deepcopy(export_config(template))
        change(config)
        return config

    return make


def _set(path: str, value):
    def change(config):
        *parents, last = path.split(".")
        target = config
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


BAD_FILES = [
    ("format", _set("format", 2), "format"),
    ("wrong type", _set("consent.days", "182"), "consent.days"),
    ("wrong type in a list", _set("languages", "kk"), "languages"),
    ("unknown tracker kind", _set("services.1.kind", "hotjar"), "services[1].kind"),
    (
        "bad tracker id",
        _set("services.0.options.counter_id", "12ab"),
        "services[0].options.counter_id",
    ),
    ("unknown option", _set("services.0.options.extra", 1), "services[0].options.extra"),
    (
        "http script",
        _set("services.2.options.src", "http://cdn.chat.kz/w.js"),
        "services[2].options.src",
    ),
    ("slug", _set("services.2.id", "Chat Widget"), "services[2].id"),
    ("same name twice", _set("services.3.id", "chat"), "services[3].id"),
    ("embed managed", _set("services.3.managed", True), "services[3].managed"),
    ("tracker in necessary", _set("services.0.category", "necessary"), "services[0].category"),
    ("light colour", _set("banner.accent", "#fafafa"), "banner.accent"),
    ("no colour", _set("banner.accent", "red"), "banner.accent"),
    ("unknown text", _set("banner.texts.kk.headline", "x"), "banner.texts.kk.headline"),
    (
        "placeholder lost",
        _set("banner.texts.ru.consent_term", "Навсегда."),
        "banner.texts.ru.consent_term",
    ),
    ("long text", _set("banner.texts.ru.title", "x" * 601), "banner.texts.ru.title"),
    ("bin", _set("operator.bin", "150440012345"), "operator.bin"),
    ("e-mail", _set("operator.contact_email", "privacy@arman.local"), "operator.contact_email"),
    (
        "javascript link",
        _set("operator.policy_urls.ru", "javascript:alert(1)"),
        "operator.policy_urls.ru",
    ),
    ("domain", _set("site.domains", ["https://arman.kz/"]), "site.domains[0]"),
    ("time zone", _set("site.timezone", "Mars/Olympus"), "site.timezone"),
    ("default language", _set("default_language", "en"), "default_language"),
    ("unknown field", _set("site.owner", "me@arman.kz"), "site.owner"),
    ("NUL", _set("operator.legal_name", "ТОО\x00"), "operator.legal_name"),
    (
        "custom facts",
        _set("services.2.info", {"kk": {"name": "Чат"}}),
        "services[2].info.kk.provider",
    ),
    ("missing part", lambda config: config.pop("banner"), "banner"),
    ("documents not an object", _set("documents", []), "documents"),
    ("documents unknown field", _set("documents.fax", "1"), "documents.fax"),
    ("hosting country", _set("documents.hosting_country", "xx"), "documents.hosting_country"),
    (
        "hosting provider too long",
        _set("documents.hosting_provider", "x" * 301),
        "documents.hosting_provider",
    ),
    ("phone", _set("documents.contact_phone", "call me"), "documents.contact_phone"),
    ("measure", _set("documents.measures", ["tls", "magic"]), "documents.measures"),
    ("request days", _set("documents.request_days", 31), "documents.request_days"),
    ("request days type", _set("documents.request_days", "5"), "documents.request_days"),
    (
        "storage term",
        _set("documents.forms.1.storage_months", 0),
        "documents.forms[1].storage_months",
    ),
    (
        "storage term type",
        _set("documents.forms.1.storage_months", "12"),
        "documents.forms[1].storage_months",
    ),
    ("form data", _set("documents.forms.0.fields", ["passport"]), "documents.forms[0].fields"),
    ("form without data", _set("documents.forms.0.fields", []), "documents.forms[0].fields"),
    ("form purpose", _set("documents.forms.1.purpose", "spam"), "documents.forms[1].purpose"),
    ("form name", _set("documents.forms.1.name", "  "), "documents.forms[1].name"),
    (
        "form missing field",
        lambda config: config["documents"]["forms"][0].pop("purpose"),
        "documents.forms[0].purpose",
    ),
    (
        "too many forms",
        lambda config: config["documents"]["forms"].extend(config["documents"]["forms"] * 5),
        "documents.forms",
    ),
    (
        "section language",
        _set("documents.extra_sections.0.language", "de"),
        "documents.extra_sections[0].language",
    ),
    (
        "section text",
        _set("documents.extra_sections.0.text", ""),
        "documents.extra_sections[0].text",
    ),
    (
        "section NUL",
        _set("documents.extra_sections.0.title", "a\x00"),
        "documents.extra_sections[0].title",
    ),
]


@pytest.mark.parametrize(
    ("change", "path"), [(c, p) for _, c, p in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
@pytest.mark.parametrize("into", ["new", "existing"])
def test_a_bad_file_is_refused_by_path_and_changes_nothing(template, change, path, into):
    document = broken(change)(template)
    target = make_site(domains=["shop.kz"]) if into == "existing" else None
    db.session.commit()
    counts = row_counts()
    exported = export_config(target) if target else None
    with pytest.raises(ConfigError) as refused:
        import_config(db.session, document, None, site=target, owner=owner_of(template))
    db.session.rollback()
    assert path in refused.value.fields, refused.value.fields
    assert row_counts() == counts
    if target is not None:
        assert export_config(db.session.get(Site, target.id)) == exported


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{not json", "not valid JSON: line 1, column 2"),
        (b"[1, 2]", "one JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b" " * (256 * 1024 + 1), "larger than 256 KB"),
    ],
    ids=["malformed", "array", "encoding", "nesting", "oversize"],
)
def test_a_file_that_is_no_json_object_is_refused(app, data, problem):
    with force_locale("en"), pytest.raises(ConfigError) as refused:
        read_config_file(data)
    assert problem in refused.value.fields["(file)"]


def test_hostile_strings_stay_text(client, template):
    config = export_config(template)
    config["site"]["name"] = HOSTILE
    config["operator"]["legal_name"] = HOSTILE
    config["banner"]["texts"]["ru"]["title"] = HOSTILE
    site = import_config(db.session, config, None, owner=owner_of(template))
    db.session.commit()
    assert site.name == HOSTILE and site.texts["ru"]["title"] == HOSTILE
    public = client.get(f"/api/v1/sites/{site.public_key}/config").get_json()
    assert public["texts"]["ru"]["title"] == HOSTILE  # data for textContent, unchanged


# The command line


def test_cli_exports_and_imports_a_new_site(runner, template, tmp_path):
    exported = runner.invoke(args=["site", "export", template.public_key])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output) == export_config(template)
    path = tmp_path / "arman.json"
    written = runner.invoke(args=["site", "export", template.public_key, "--output", str(path)])
    assert written.exit_code == 0 and json.loads(path.read_text()) == export_config(template)

    owner = owner_of(template).email
    result = runner.invoke(args=["site", "import", str(path), "--owner", owner])
    assert result.exit_code == 0, result.output
    key = result.output.split("Site key: ")[1].split()[0]
    site = db.session.scalar(sa.select(Site).where(Site.public_key == key))
    assert without_key(export_config(site)) == without_key(export_config(template))


def test_no_site_key_reads_as_a_command_line_option():
    """A key with a leading "-" (one in 64 of token_urlsafe's) made `site export KEY` fail
    with "No such option"."""
    keys = [new_public_key() for _ in range(2000)]
    assert not [key for key in keys if key.startswith("-")]
    assert all(len(key) == 16 for key in keys)


def test_cli_imports_over_a_site_by_key(runner, template, tmp_path):
    target = make_site(domains=["shop.kz"])
    db.session.commit()
    path = tmp_path / "arman.json"
    path.write_text(config_json(export_config(template)))
    result = runner.invoke(args=["site", "import", str(path), "--key", target.public_key])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Site, target.id).domains == ["arman.kz", "kino.arman.kz"]


def test_cli_refuses_a_bad_file_with_its_problems_and_changes_nothing(runner, template, tmp_path):
    config = export_config(template)
    config["services"][0]["options"]["counter_id"] = "12ab"
    config["operator"]["bin"] = "150440012345"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(config))
    counts = row_counts()
    result = runner.invoke(args=["site", "import", str(path), "--key", template.public_key])
    assert result.exit_code == 1
    assert "Nothing was changed" in result.output
    assert "services[0].options.counter_id: Not an ID of this tracker" in result.output
    assert "operator.bin: The check digit" in result.output
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["site", "export", "nosuchkey"], "No site has the key"),
        (["site", "import", "{file}"], "needs --owner"),
        (["site", "import", "{file}", "--owner", "nobody@x.kz"], "No user"),
        (["site", "import", "{file}", "--key", "nosuchkey"], "No site has the key"),
    ],
)
def test_cli_usage_errors_exit_non_zero(runner, template, tmp_path, args, message):
    path = tmp_path / "arman.json"
    path.write_text(config_json(export_config(template)))
    result = runner.invoke(args=[arg.format(file=path) for arg in args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 4
