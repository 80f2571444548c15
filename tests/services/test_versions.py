"""Banner versions: one per change visitors see, never changed afterwards, and the proof of
the exact words behind an event."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import BannerVersion, ConsentEvent, Membership, Role, Site
from backend.services.anonymize import consent_id_key
from backend.services.consent import receipt
from backend.services.demo import ensure_demo
from backend.services.retention import expired_batches
from backend.services.sites import get_or_create_user
from backend.services.versions import changed_parts, resolve_receipt
from tests.conftest import built_in_config, post_events
from tests.factories import make_event, make_service, make_site


def a_user():
    return get_or_create_user(db.session, "viewer@example.kz", "viewer-password")[0]


def versions_of(site: Site) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(BannerVersion.version)
            .where(BannerVersion.site_id == site.id)
            .order_by(BannerVersion.version)
        )
    )


def version(site: Site, number: int) -> BannerVersion:
    return db.session.scalar(
        sa.select(BannerVersion).where(
            BannerVersion.site_id == site.id, BannerVersion.version == number
        )
    )


def test_a_new_site_is_published_as_it_was_committed(site):
    # The fixture added two services after the site's first flush: one commit, one version.
    assert versions_of(site) == [site.config_version]
    published = version(site, site.config_version)
    assert [s["id"] for s in published.config["services"]] == [
        "yandex_metrica",
        "google_analytics",
    ]
    assert set(published.texts) == {"kk", "ru", "en"}
    assert published.texts["kk"]["accept_all"] == "Барлығын қабылдау"
    # Nothing that depends on the server or the request that happened to serve it.
    assert "api" not in published.config and "texts" not in published.config


@pytest.mark.parametrize(
    ("change", "publishes"),
    [
        (lambda s: setattr(s, "texts", {"ru": {"title": "Мы используем cookie"}}), True),
        (lambda s: setattr(s, "consent_days", 90), True),
        (lambda s: make_service(s, "meta_pixel", options={"pixel_id": "1234567890"}), True),
        (lambda s: s.publish_policy(requires_consent=False, note="typo"), True),
        (lambda s: setattr(s, "retention_months", 12), False),
        (lambda s: setattr(s, "name", "Кинотеатр, переименованный"), False),
        (lambda s: s.memberships.append(Membership(user=a_user(), role=Role.VIEWER)), False),
    ],
    ids=["texts", "consent days", "service", "policy", "retention", "rename", "member"],
)
def test_each_change_visitors_see_publishes_one_version(site, change, publishes):
    before = versions_of(site)
    change(site)
    db.session.commit()
    after = versions_of(site)
    if publishes:
        assert after == [*before, site.config_version]
    else:
        assert after == before


def test_a_published_version_never_changes(site):
    first = site.config_version
    site.texts = {"ru": {"title": "Старый заголовок"}}
    db.session.commit()
    old = site.config_version
    old_texts = json.dumps(version(site, old).texts, sort_keys=True)
    old_hash = version(site, old).texts_hash["ru"]

    site.texts = {"ru": {"title": "Новый заголовок"}}
    db.session.commit()
    db.session.expire_all()

    assert version(site, old).texts["ru"]["title"] == "Старый заголовок"
    assert json.dumps(version(site, old).texts, sort_keys=True) == old_texts
    assert version(site, old).texts_hash["ru"] == old_hash
    assert version(site, site.config_version).texts["ru"]["title"] == "Новый заголовок"
    assert changed_parts(version(site, old), version(site, site.config_version)) == ["texts:ru"]
    assert changed_parts(version(site, first), version(site, old)) == ["texts:ru"]


def test_an_event_resolves_to_the_exact_words_the_visitor_saw(app, client, site):
    site.texts = {"kk": {"title": "Біз cookie қолданамыз"}}
    db.session.commit()
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    visitor = str(uuid.uuid4())
    sent = make_event(
        site,
        consent_id=visitor,
        banner_version=config["version"],
        texts_hash=config["texts_hash"]["kk"],
        language="kk",
    )
    assert post_events(client, sent).status_code == 202
    site.texts = {"kk": {"title": "Басқа мәтін"}}  # a later edit
    db.session.commit()

    events = receipt(db.session, site.id, visitor, app_id_key(app))
    [line] = resolve_receipt(db.session, site, events)
    assert line.version.version == config["version"]
    assert line.hash_matches
    assert line.texts["title"] == "Біз cookie қолданамыз"
    assert line.texts["accept_all"] == config["texts"]["kk"]["accept_all"]
    assert "150440012344" in line.texts["legal"]  # the operator's BIN, as the banner said


def app_id_key(app) -> bytes:
    return consent_id_key(app.config)


def test_an_event_whose_hash_differs_is_told_apart(app, client, site):
    visitor = str(uuid.uuid4())
    sent = make_event(
        site, consent_id=visitor, banner_version=site.config_version, texts_hash="b" * 64
    )
    post_events(client, sent)
    [line] = resolve_receipt(
        db.session, site, receipt(db.session, site.id, visitor, app_id_key(app))
    )
    assert line.version is not None
    assert not line.hash_matches


def test_purge_keeps_the_versions_kept_events_refer_to(client, site):
    referred = site.config_version
    post_events(client, make_event(site, banner_version=referred))
    site.consent_days = 30
    db.session.commit()
    db.session.execute(
        sa.update(ConsentEvent).values(created_at=datetime.now(UTC) - timedelta(days=40))
    )
    db.session.commit()

    list(expired_batches(db.session, datetime.now(UTC)))  # every batch, as `flask purge`
    db.session.commit()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 1
    assert version(site, referred) is not None
    assert version(site, site.config_version) is not None


def test_a_policy_that_requires_new_consent_asks_every_visitor_again(client, site):
    before = site.config_version
    site.publish_policy(requires_consent=True, note="Новые получатели данных")
    db.session.commit()
    assert site.config_version == before + 1  # one change, one banner version: no gaps
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    assert config["policy"] == {"version": 2, "reconsent_from": 2}
    # The loader compares a stored decision's policy version with reconsent_from.
    loader = built_in_config(client.get(f"/w/{site.public_key}.js").data)
    assert loader["reconsent_from"] == 2
    assert version(site, site.config_version).config["policy"] == config["policy"]


def test_a_site_from_the_command_line_or_the_demo_has_version_1(app, runner):
    get_or_create_user(db.session, "cli@example.kz", "cli-password")
    db.session.commit()
    result = runner.invoke(
        args=["create-site", "Клиника", "--domain", "clinic.kz", "--owner", "cli@example.kz"]
    )
    assert result.exit_code == 0, result.output
    made = db.session.scalar(sa.select(Site).where(Site.name == "Клиника"))
    assert versions_of(made) == [1]

    _user, demo = ensure_demo(db.session)
    db.session.commit()
    assert versions_of(demo) == [1]
    assert len(version(demo, 1).config["services"]) == 2


def test_after_an_upgrade_changed_the_default_texts_sites_are_republished(runner, site):
    number = site.config_version
    # As if the catalogs had said something else when this version was published.
    db.session.execute(
        sa.update(BannerVersion)
        .where(BannerVersion.site_id == site.id)
        .values(texts_hash={"kk": "old", "ru": "old", "en": "old"})
    )
    untouched = make_site()
    db.session.commit()
    untouched_number = untouched.config_version

    result = runner.invoke(args=["publish-versions"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 sites")
    db.session.expire_all()
    assert versions_of(site) == [number, number + 1]
    assert version(site, number).texts_hash["kk"] == "old"  # the old one stays as it was
    assert versions_of(untouched) == [untouched_number]


def test_a_site_from_before_versions_gets_its_current_version(runner, site):
    db.session.execute(sa.delete(BannerVersion))
    db.session.commit()
    assert runner.invoke(args=["publish-versions"]).exit_code == 0
    db.session.expire_all()
    assert versions_of(site) == [site.config_version]


def test_an_appearance_stored_with_its_defaults_is_no_change(site):
    """Older banner saves stored every key of the look, defaults included; a version after
    one that stored none lists the appearance only if the banner looks different."""
    first = version(site, site.config_version)
    site.appearance = {"position": "bottom", "accent": "#1F5FBF", "floating_button": False}
    site.texts = {"ru": {"title": "Новый заголовок"}}
    db.session.commit()
    second = version(site, site.config_version)
    assert changed_parts(first, second) == ["texts:ru"]
    site.appearance = {"position": "top"}
    db.session.commit()
    assert changed_parts(second, version(site, site.config_version)) == ["appearance"]
