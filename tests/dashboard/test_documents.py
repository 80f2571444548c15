"""The Documents tab: the owner's inputs (saved by editors, read by viewers, refused with
reasons and nothing saved when wrong), what Law No. 94-V asks with its articles, and the
draft of each document in each language, owner text shown as text."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, DocumentInputs
from tests.dashboard.conftest import form_as_sent, text
from tests.factories import make_service

ENGLISH = {"Accept-Language": "en"}


def documents_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/documents"


def inputs_row(site) -> dict | None:
    db.session.expire_all()
    inputs = db.session.scalar(sa.select(DocumentInputs).where(DocumentInputs.site_id == site.id))
    if inputs is None:
        return None
    return {
        name: getattr(inputs, name)
        for name in ("hosting_provider", "hosting_country", "hosting_city", "contact_phone",
                     "forms", "measures", "request_subject", "request_days", "extra_sections")
    }  # fmt: skip


def filled_form(client, site) -> dict:
    """The form as shown, filled in as a service company would."""
    data = form_as_sent(client.get(documents_url(site)).get_data(as_text=True))
    return data | {
        "hosting_provider": "ТОО «PS Internet Company»",
        "hosting_country": "kz",
        "hosting_city": "Алматы",
        "contact_phone": "+7 727 222 33 44",
        "forms-0-name": "Обратная связь",
        "forms-0-fields": ["name", "phone", "email", "message"],
        "forms-0-purpose": "feedback",
        "forms-0-storage_months": "36",
        "measures": ["tls", "access"],
        "request_subject": "Персональные данные",
        "request_days": "10",
        "extra_sections-0-language": "ru",
        "extra_sections-0-title": "Файлы журнала сервера",
        "extra_sections-0-text": "Журналы хранятся 30 дней.\r\n\r\nЗатем удаляются.",
    }


def test_an_editor_saves_the_inputs_and_the_drafts_follow(signed_in, people):
    site = people["site"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678", "webvisor": True})
    db.session.commit()
    editor = signed_in("editor")
    response = editor.post(documents_url(site), data=filled_form(editor, site))
    assert response.status_code == 302
    row = inputs_row(site)
    assert row["hosting_country"] == "kz"
    assert row["forms"] == [
        {"name": "Обратная связь", "fields": ["name", "phone", "email", "message"],
         "purpose": "feedback", "storage_months": 36, "recipients": ""}
    ]  # fmt: skip
    assert row["extra_sections"][0]["text"] == "Журналы хранятся 30 дней.\n\nЗатем удаляются."
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "documents.update"))
    assert entry.user_id == people["editor"].id

    page = editor.get(documents_url(site)).get_data(as_text=True)
    assert "Обратная связь" in page
    assert 'name="forms-1-name"' in page  # one empty entry to add another

    policy = text(editor.get(f"{documents_url(site)}/privacy-policy?lang=ru"))
    assert "ТОО «PS Internet Company»" in policy and "на территории Республики Казахстан" in policy
    assert "Вебвизор" in policy and "3 года" in policy
    assert "Файлы журнала сервера" in policy and "<p>Затем удаляются.</p>" in policy
    consent = text(editor.get(f"{documents_url(site)}/consent?lang=kk"))
    assert "Дербес деректерді жинауға және өңдеуге келісім" in consent
    assert "Обратная связь" in consent and "3 жыл" in consent
    cookies = text(editor.get(f"{documents_url(site)}/cookies?lang=en"))
    assert "_ym_uid" in cookies and "kelisim_unsent" in cookies and "Russia" in cookies
    # The Russian-language section is not in the Kazakh policy.
    assert "Файлы журнала" not in text(editor.get(f"{documents_url(site)}/privacy-policy?lang=kk"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hosting_country", "xx", "Not a valid choice"),
        ("hosting_provider", "x" * 301, "longer than 300"),
        ("contact_phone", "call me", "Give a phone number such as"),
        ("forms-0-fields", [], "Tick the data the form collects"),
        ("forms-0-name", "", "Give the form a name"),
        ("forms-0-storage_months", "three", "Give a whole number"),
        ("forms-0-storage_months", "0", "From 1 to 120 months"),
        ("forms-0-storage_months", "", "Give a number of months"),
        ("forms-0-purpose", "spam", "Not a valid choice"),
        ("forms-0-fields", ["name", "passport"], "not a valid choice"),
        ("measures", ["tls", "magic"], "not a valid choice"),
        ("request_days", "99", "From 1 to 30 days"),
        ("request_days", "soon", "Give a whole number"),
        ("extra_sections-0-text", "", "Write the section's text"),
        ("extra_sections-0-language", "de", "Not a valid choice"),
    ],
)
def test_each_bad_value_is_refused_with_its_reason_and_nothing_saved(
    signed_in, people, field, value, message
):
    site = people["site"]
    owner = signed_in("owner")
    data = filled_form(owner, site) | {field: value}
    response = owner.post(documents_url(site), data=data, headers=ENGLISH)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "ТОО «PS Internet Company»" in page or field == "hosting_provider"  # input kept
    assert inputs_row(site) is None


def test_a_viewer_reads_the_inputs_and_drafts_but_cannot_save(signed_in, people):
    site = people["site"]
    editor = signed_in("editor")
    assert editor.post(documents_url(site), data=filled_form(editor, site)).status_code == 302
    before = inputs_row(site)
    viewer = signed_in("viewer")
    page = viewer.get(documents_url(site)).get_data(as_text=True)
    assert '<fieldset class="plain" disabled>' in page
    assert 'type="submit">Сохранить' not in page
    assert viewer.get(f"{documents_url(site)}/cookies?lang=kk").status_code == 200
    data = filled_form(viewer, site) | {"hosting_country": "ru"}
    assert viewer.post(documents_url(site), data=data).status_code == 403
    assert inputs_row(site) == before


def test_a_form_saved_over_someone_elses_newer_change_is_refused(signed_in, people):
    site = people["site"]
    first, second = signed_in("editor"), signed_in("owner")
    first_form, second_form = filled_form(first, site), filled_form(second, site)
    assert first.post(documents_url(site), data=first_form).status_code == 302
    second_form["hosting_city"] = "Астана"
    response = second.post(documents_url(site), data=second_form)
    assert response.status_code == 409
    assert "Астана" in response.get_data(as_text=True)  # their input kept
    assert inputs_row(site)["hosting_city"] == "Алматы"


def test_the_help_names_each_article_and_what_is_missing(signed_in, people):
    site = people["site"]
    owner = signed_in("owner")
    page = text(owner.get(documents_url(site), headers=ENGLISH))
    for article in ("Article 8, paragraph 4", "Article 12, paragraph 2", "Article 16",
                    "Article 22", "Article 24", "Article 8, paragraphs 1 and 2"):  # fmt: skip
        assert article in page
    assert "Say where the site&#39;s servers are." in page
    data = filled_form(owner, site) | {"hosting_country": "de"}
    assert owner.post(documents_url(site), data=data).status_code == 302
    page = text(owner.get(documents_url(site), headers=ENGLISH))
    assert "The servers are outside Kazakhstan" in page


@pytest.mark.parametrize("url", ["/documents/terms?lang=ru", "/documents/cookies?lang=de"])
def test_an_unknown_document_or_language_is_404(signed_in, people, url):
    site = people["site"]
    response = signed_in("viewer").get(f"/dashboard/sites/{site.public_key}{url}")
    assert response.status_code == 404


def test_hostile_text_in_the_inputs_is_shown_as_text(signed_in, people):
    site = people["site"]
    owner = signed_in("owner")
    hostile = '<script>alert("x")</script>'
    data = filled_form(owner, site) | {
        "hosting_provider": hostile,
        "forms-0-name": "<img src=x onerror=alert(1)>",
        "extra_sections-0-title": "<b>bold</b>",
        "request_subject": '"><svg onload=alert(1)>',
    }
    assert owner.post(documents_url(site), data=data).status_code == 302
    for name in ("privacy-policy", "consent", "cookies"):
        page = owner.get(f"{documents_url(site)}/{name}?lang=ru").get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "<b>bold</b>" not in page and "<svg" not in page
    policy = owner.get(f"{documents_url(site)}/privacy-policy?lang=ru").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in policy
    form_page = owner.get(documents_url(site)).get_data(as_text=True)
    assert "<script>alert" not in form_page and "<img src=x" not in form_page
