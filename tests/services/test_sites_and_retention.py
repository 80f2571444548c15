"""Config versions, policy versions and retention, on both databases."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import ConsentEvent, DailyStat
from backend.services import DomainError
from backend.services.retention import expired_batches
from backend.services.sites import create_site, get_or_create_user
from tests.factories import make_service, make_site, record_event, release_path


def version_after(site, change) -> int:
    before = site.config_version
    change()
    db.session.commit()
    return site.config_version - before


@pytest.mark.parametrize(
    ("change", "visible"),
    [
        (lambda s: setattr(s, "consent_days", 30), True),
        (lambda s: setattr(s, "texts", {"ru": {"title": "Куки"}}), True),
        (lambda s: setattr(s, "legal_name", "ТОО «Новое»"), True),
        (lambda s: make_service(s, "meta_pixel", options={"pixel_id": "1"}), True),
        (lambda s: setattr(s.services[0], "category", "marketing"), True),
        (lambda s: s.services.remove(s.services[0]), True),
        (lambda s: s.publish_policy(requires_consent=False), True),
        # Which pages may send events is published too, for every server to check.
        (lambda s: setattr(s, "allow_subdomains", True), True),
        # Owner-only settings do not change what visitors download or send.
        (lambda s: setattr(s, "retention_months", 12), False),
        (lambda s: setattr(s, "name", "Renamed"), False),
    ],
)
def test_config_version_rises_with_what_the_widget_sees(site, change, visible):
    assert (version_after(site, lambda: change(site)) > 0) == visible


def test_publishing_a_significant_policy_asks_everyone_again(site):
    site.publish_policy(requires_consent=False, note="typo fixes")
    db.session.commit()
    assert (site.policy_version, site.reconsent_from) == (2, 1)
    site.publish_policy(requires_consent=True, note="new processor")
    db.session.commit()
    assert (site.policy_version, site.reconsent_from) == (3, 3)
    assert [(p.version, p.requires_consent) for p in site.policies] == [(2, False), (3, True)]


@pytest.mark.parametrize("domains", [[], ["https://kino.kz"], ["kino.kz:443"], ["  "]])
def test_site_domains_must_be_host_names(app, domains):
    owner, _ = get_or_create_user(db.session, "o@example.kz", "pw")
    with pytest.raises(DomainError):
        create_site(db.session, owner, "Kino", domains, by=None)


def test_consent_days_cannot_exceed_13_months(app):
    with pytest.raises(sa.exc.IntegrityError):
        make_site(consent_days=396)
    db.session.rollback()


def test_purge_deletes_old_events_and_keeps_daily_stats(site):
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    for age_days in (0, 365 * 3 - 30, 365 * 3 + 30):
        record_event(site, now - timedelta(days=age_days))
    db.session.commit()

    batches = list(expired_batches(db.session, now))  # what `flask purge` runs
    db.session.commit()

    assert batches == [(site.public_key, 1)]
    remaining = db.session.scalars(sa.select(ConsentEvent.created_at)).all()
    assert sorted(now - at for at in remaining) == [timedelta(0), timedelta(days=365 * 3 - 30)]
    assert sum(db.session.scalars(sa.select(DailyStat.accept_all))) == 3


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "//evil.example", "x"]
)
def test_policy_urls_are_http_or_https_only(app, url):
    with pytest.raises(DomainError, match="policy URL"):
        make_site(policy_urls={"ru": url})


def test_a_stored_script_url_never_becomes_the_banners_link(client, site):
    site.policy_urls = {"ru": "javascript:alert(1)", "kk": "https://example.kz/kk/privacy"}
    db.session.commit()
    banner_ru = client.get(release_path(client, site.public_key, "banner.ru.js")).text
    assert "javascript:" not in banner_ru
    banner_kk = client.get(release_path(client, site.public_key, "banner.kk.js")).text
    assert "https://example.kz/kk/privacy" in banner_kk
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    assert config["operator"]["policy_urls"] == {"kk": "https://example.kz/kk/privacy"}
