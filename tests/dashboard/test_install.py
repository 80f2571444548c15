"""The install page: the snippet with a copy button, the guide, and diagnostics an owner can
act on."""

from datetime import UTC, datetime, timedelta

from backend.extensions import db
from backend.models import FoundTracker, RefusedOrigin
from backend.services.stats import local_day
from tests.conftest import post_events
from tests.factories import make_event, make_service


def install_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/install"


def test_the_page_has_the_snippet_a_copy_button_and_the_guide(signed_in, people):
    site = people["site"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    make_service(site, "google_analytics", managed=True, options={"measurement_id": "G-X1"})
    db.session.commit()
    page = signed_in("viewer").get(install_url(site)).get_data(as_text=True)
    assert f"&lt;script src=&#34;http://localhost/w/{site.public_key}.js&#34;&gt;" in page
    assert 'data-copy="snippet"' in page and "/static/copy.js" in page
    assert "<script>" not in page  # no inline script: a strict CSP is coming
    assert "&lt;head&gt;" in page
    assert '&lt;script type="text/plain" data-consent="analytics"' in page
    assert "&lt;noscript&gt;" in page and "<noscript>" not in page  # Metrica pixel: remove
    assert "непомеченные теги сработают" in page  # what fails open, what fails closed
    assert "<code>analytics</code>" in page and "<code>yandex_metrica</code>" in page
    assert page.count("загружает Kelisim: не вставляйте его тег") == 1  # GA4, managed


def test_the_copy_script_is_served(client):
    with client.get("/static/copy.js") as response:
        assert response.status_code == 200
        assert "navigator.clipboard.writeText" in response.get_data(as_text=True)


def test_diagnostics_before_any_event(signed_in, people):
    page = signed_in("viewer").get(install_url(people["site"])).get_data(as_text=True)
    assert "Пока не получено ни одного события согласия" in page
    assert "За последние 30 дн. ни одно событие не было отклонено" in page


def test_diagnostics_show_the_last_event_and_refused_hosts(client, signed_in, people):
    site = people["site"]
    site.domains = ["arman.kz"]
    db.session.commit()
    assert post_events(client, make_event(site), origin="https://arman.kz").status_code == 202
    for _ in range(3):
        assert (
            post_events(client, make_event(site), origin="https://staging.arman.kz").status_code
            == 403
        )
    assert post_events(client, make_event(site), origin="http://192.0.2.10").status_code == 403
    long_ago = local_day(datetime.now(UTC), site.timezone) - timedelta(days=31)
    db.session.add(RefusedOrigin(site_id=site.id, day=long_ago, host="old.example", count=5))
    db.session.commit()

    page = signed_in("viewer").get(install_url(site)).get_data(as_text=True)
    assert "Последнее событие согласия получено" in page
    assert '<code>staging.arman.kz</code></td><td data-label="Отклонённые события">3</td>' in page
    assert "IP-адрес (не сохраняется)" in page and "192.0.2.10" not in page
    assert "old.example" not in page  # older than 30 days


def test_diagnostics_list_found_trackers_the_site_does_not_configure(client, signed_in, people):
    site = people["site"]
    site.domains = ["example.kz"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    found = ["tiktok_pixel", "yandex_metrica"]
    shown = make_event(
        site, action="shown", categories=[], services=[], expires_at=None, found=found
    )
    for _ in range(2):
        assert post_events(client, shown).status_code == 202
    long_ago = local_day(datetime.now(UTC), site.timezone) - timedelta(days=31)
    db.session.add(FoundTracker(site_id=site.id, day=long_ago, kind="vk_pixel", count=4))
    db.session.commit()
    add_link = f"/dashboard/sites/{site.public_key}/trackers/new/tiktok_pixel"

    page = signed_in("editor").get(install_url(site)).get_data(as_text=True)
    assert "Трекеры на ваших страницах, которые не настроены для этого сайта" in page
    assert '<td data-label="Трекер">Пиксель TikTok</td>' in page
    assert "Яндекс Метрика</td>" not in page  # configured: the banner lists it already
    assert "Пиксель VK Рекламы" not in page  # older than 30 days
    assert add_link in page
    assert add_link not in signed_in("viewer").get(install_url(site)).get_data(as_text=True)
