"""A form saved over someone else's newer change is noticed, not silently applied."""

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from backend.dashboard.forms import SiteChangeForm
from backend.extensions import db
from tests.factories import make_service


def test_every_write_of_a_site_and_of_its_services_raises_its_revision(people):
    site = people["site"]
    first = site.revision
    site.name = "Кинотеатр «Арман» 2"
    db.session.commit()
    assert site.revision == first + 1
    make_service(site, "meta_pixel", options={"pixel_id": "1234567890"})
    db.session.commit()
    assert site.revision == first + 2  # the service bumped config_version, so the row


def test_a_form_shown_before_a_change_is_stale_and_then_carries_the_new_revision(app, people):
    site = people["site"]
    with app.test_request_context(method="POST"):
        form = SiteChangeForm(meta={"csrf": False})
        form.shown_for(site)
        assert not form.is_stale(site)
        site.name = "Changed by someone else"
        db.session.commit()
        assert form.is_stale(site)
        assert "сайт изменил кто-то другой" in form.form_errors[0]  # the default locale, ru
        assert not form.is_stale(site)  # saving again after a look goes through


def test_two_writes_racing_past_the_check_are_refused_by_the_database(app, people):
    site = people["site"]
    with Session(db.engine) as other:
        theirs = other.get(type(site), site.id)
        theirs.name = "Theirs"
        other.commit()
    site.name = "Mine"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
