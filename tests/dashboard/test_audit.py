"""The audit log: newest first, 50 a page, who/when/what in plain words."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry


def audit_url(site, page: int | None = None) -> str:
    url = f"/dashboard/sites/{site.public_key}/audit"
    return f"{url}?page={page}" if page else url


def add_entries(site, user, count: int) -> None:
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for n in range(count):
        db.session.add(
            AuditEntry(
                site_id=site.id,
                user=user,
                created_at=start + timedelta(minutes=n),
                action="site.update",
                details={"fields": {"name": [f"Имя {n}", f"Имя {n + 1}"]}},
            )
        )
    db.session.commit()


def test_entries_are_listed_newest_first_in_plain_words(signed_in, people):
    site = people["site"]
    add_entries(site, people["editor"], 2)
    db.session.add(
        AuditEntry(
            site_id=site.id,
            user=None,
            created_at=datetime(2026, 11, 2, tzinfo=UTC),
            action="policy.publish",
            details={"version": 2, "requires_consent": True, "note": "<script>x</script>"},
        )
    )
    db.session.commit()
    page = signed_in("owner").get(audit_url(site)).get_data(as_text=True)
    assert page.index("Опубликовал версию политики") < page.index("Изменил настройки сайта")
    assert page.index("name: Имя 1 → Имя 2") < page.index("name: Имя 0 → Имя 1")
    assert "нужно новое согласие: да" in page
    assert "примечание: &lt;script&gt;x&lt;/script&gt;" in page  # text, never HTML
    assert "editor@arman.kz" in page and "система" in page
    # Almaty time, written as the reader's language writes dates (with no-break spaces).
    assert "2 нояб. 2026 г., 05:00:00" in page.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_log_is_paginated_by_50(signed_in, people):
    site = people["site"]
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.site_id == site.id))  # its creation
    add_entries(site, people["owner"], 51)
    client = signed_in("owner")
    first = client.get(audit_url(site)).get_data(as_text=True)
    assert first.count("Изменил настройки сайта") == 50
    assert "Имя 50 → Имя 51" in first and "Имя 0 → Имя 1" not in first
    assert "Страница 1 из 2" in first and "page=2" in first
    second = client.get(audit_url(site, 2)).get_data(as_text=True)
    assert second.count("Изменил настройки сайта") == 1 and "Имя 0 → Имя 1" in second


def test_a_page_past_the_end_or_garbage_is_no_error(signed_in, people):
    client = signed_in("owner")
    assert client.get(audit_url(people["site"], 99)).status_code == 200
    assert client.get(audit_url(people["site"]) + "?page=abc").status_code == 200
