"""What every dashboard form that changes a site shares: noticing a newer change."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from backend.models import Site

STALE_MESSAGE = _l(
    "Someone else changed this site after you opened this form. Your changes are still in "
    "the form below and were not saved: check them against the current state and save again."
)


class SiteChangeForm(FlaskForm):
    """Base of the forms that change a site: carries the site's revision as it was shown."""

    revision = HiddenField()

    def shown_for(self, site: Site) -> None:
        """Remember which revision of the site the form is shown for (on GET)."""
        self.revision.data = str(site.revision)

    def is_stale(self, site: Site) -> bool:
        """True when the site changed since the form was shown; the form then says so and
        carries the current revision, so that saving again (after a look) goes through."""
        if self.revision.data == str(site.revision):
            return False
        self.form_errors.append(str(STALE_MESSAGE))
        self.shown_for(site)
        return True
