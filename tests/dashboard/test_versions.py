"""The versions page: banner versions with what each changed, a version's exact texts, and
publishing a policy version."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, BannerVersion, PolicyVersion, Site
from tests.dashboard.conftest import csrf_token


def versions_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/versions"


def publish(client, site, token=True, **fields):
    data = {"revision": str(site.revision), "note": "Новые получатели", **fields}
    if token:
        data["csrf_token"] = csrf_token(client, versions_url(site))
    return client.post(f"{versions_url(site)}/policy", data=data)


def current(site) -> Site:
    db.session.expire_all()
    return db.session.get(Site, site.id)


def test_the_page_lists_each_banner_version_with_who_and_what_changed(signed_in, people):
    client = signed_in("editor")
    site = people["site"]
    assert publish(client, site, requires_consent="y").status_code == 302

    page = signed_in("viewer").get(versions_url(site)).get_data(as_text=True)
    newest = current(site).config_version
    assert f"/versions/{newest}" in page
    assert "editor@arman.kz" in page  # who published it, from the audit entry beside it
    assert "версия политики" in page  # what changed, in the viewer's language (ru)
    assert "Первая версия" in page
    assert "Новые получатели" in page  # the policy's note
    assert "Опубликовать" not in page  # a viewer sees no form


def test_a_version_page_shows_its_exact_texts_and_their_hashes(signed_in, people):
    site = people["site"]
    site.texts = {"kk": {"title": "Біз cookie <b>қолданамыз</b>"}}
    db.session.commit()
    response = signed_in("viewer").get(f"{versions_url(site)}/{site.config_version}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Біз cookie &lt;b&gt;қолданамыз&lt;/b&gt;" in page  # owner text shown as text
    version = db.session.scalar(
        sa.select(BannerVersion).where(
            BannerVersion.site_id == site.id, BannerVersion.version == site.config_version
        )
    )
    for language in ("kk", "ru", "en"):
        assert version.texts_hash[language] in page


def test_a_version_names_each_text_as_the_editor_labels_it(signed_in, people):
    site = people["site"]
    people["viewer"].locale = "ru"
    db.session.commit()
    page = signed_in("viewer").get(f"{versions_url(site)}/{site.config_version}").text
    assert '<td>Кнопка «Принять все»<br><code class="hint">accept_all</code></td>' in page
    assert "<td>Срок действия согласия<br><code" in page


def test_an_unknown_version_is_404(signed_in, people):
    assert signed_in("viewer").get(f"{versions_url(people['site'])}/999").status_code == 404


def test_an_editor_publishes_a_policy_that_asks_everyone_again(signed_in, people):
    site = people["site"]
    response = publish(signed_in("editor"), site, requires_consent="y")
    assert response.status_code == 302
    site = current(site)
    assert (site.policy_version, site.reconsent_from) == (2, 2)
    [policy] = site.policies
    assert (policy.note, policy.requires_consent) == ("Новые получатели", True)
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.site_id == site.id).order_by(AuditEntry.id.desc())
    )
    assert entry.action == "policy.publish"
    assert entry.details == {"version": 2, "requires_consent": True, "note": "Новые получатели"}
    assert entry.user.email == "editor@arman.kz"


def test_a_minor_policy_version_does_not_ask_again(signed_in, people):
    publish(signed_in("owner"), people["site"], note="Опечатки")
    site = current(people["site"])
    assert (site.policy_version, site.reconsent_from) == (2, 1)


def policy_count(site) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PolicyVersion)
        .where(PolicyVersion.site_id == site.id)
    )


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"note": "  "}, 422, "Обязательное поле."),
        ({"note": "x" * 2001}, 422, "2000"),
        ({"revision": "0"}, 409, "сайт изменил кто-то другой"),
    ],
    ids=["empty note", "long note", "stale"],
)
def test_bad_input_publishes_nothing(signed_in, people, fields, status, message):
    site = people["site"]
    response = publish(signed_in("editor"), site, **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert policy_count(site) == 0
    assert current(site).policy_version == 1


def test_a_post_without_the_csrf_token_is_refused(signed_in, people):
    response = publish(signed_in("owner"), people["site"], token=False)
    assert response.status_code == 400
    assert policy_count(people["site"]) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_who_may_publish_a_policy(signed_in, people, who, status):
    client = signed_in(who)
    site = people["site"]
    # A valid token of this person's session, from a page anyone signed in (or not) opens.
    page = "/login" if who == "anonymous" else "/dashboard/"
    data = {"csrf_token": csrf_token(client, page), "revision": str(site.revision), "note": "x"}
    response = client.post(f"{versions_url(site)}/policy", data=data)
    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")
    assert policy_count(site) == (1 if who in ("owner", "editor") else 0)


def test_versions_are_paginated_and_each_says_what_it_changed(signed_in, people):
    site = people["site"]
    for days in range(100, 121):  # 21 changes after version 1
        site.consent_days = days
        db.session.commit()
    client = signed_in("viewer")
    first = client.get(versions_url(site)).get_data(as_text=True)
    assert first.count("срок хранения выбора") == 20
    assert "Страница 1 из 2" in first
    second = client.get(versions_url(site) + "?page=2").get_data(as_text=True)
    # The oldest change on page 2 is compared with version 1, which is on the same page.
    assert second.count("срок хранения выбора") == 1 and "Первая версия" in second
