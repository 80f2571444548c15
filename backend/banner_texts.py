"""Default banner texts in English, translated to kk / ru / en by the Babel catalogs."""

from functools import cache

from flask import has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Every text stays short and plain: the whole widget, texts for three languages included,
# must fit in 8 KB gzip. Placeholders such as %(days)s are filled in by the server when it
# builds the banner's files (services/publishing.py).
# Together, operator_*, consent_term, third_parties, cross_border and data_collected carry
# what a consent must name under the Law of Kazakhstan No. 94-V, Art. 8.
DEFAULT_TEXTS: dict[str, LazyString] = {
    # First layer
    "title": _l("We use cookies"),
    "description": _l(
        "We use cookies for analytics and marketing only with your consent. "
        "You can change your choice at any time."
    ),
    "policy_link": _l("Privacy policy"),
    "accept_all": _l("Accept all"),
    "reject_all": _l("Reject all"),
    "settings": _l("Settings"),
    # Settings layer
    "save": _l("Save choice"),
    "back": _l("Back"),
    "close_settings": _l("Close settings"),
    "always_on": _l("Always on"),
    "necessary_title": _l("Necessary"),
    "necessary_description": _l(
        "Needed for the site to work and to remember your choice. They cannot be turned off."
    ),
    "analytics_title": _l("Analytics"),
    "analytics_description": _l(
        "Help us understand how visitors use the site: visits, pages, clicks."
    ),
    "marketing_title": _l("Marketing"),
    "marketing_description": _l("Measure ads and show you relevant ads on other sites."),
    "functional_title": _l("Functional"),
    "functional_description": _l("Extra features such as chats, maps and videos."),
    "webvisor_title": _l("Session recording (Webvisor)"),
    "webvisor_description": _l(
        "Yandex.Metrica Webvisor records clicks and scrolling. "
        "What you type into forms is never recorded."
    ),
    # TRANSLATORS: labels in a service's details: the company that receives the data.
    "service_provider": _l("Provider"),
    "service_purpose": _l("Purpose"),
    "service_cookies": _l("Cookies"),
    # TRANSLATORS: the country where the service stores the data.
    "service_country": _l("Country"),
    "service_term": _l("Storage period"),
    # Operator and requests (Law No. 94-V, Art. 8: operator name and BIN)
    "operator_title": _l("Data controller"),
    # TRANSLATORS: Business Identification Number of a Kazakh legal entity (kk: БСН, ru: БИН).
    "operator_bin": _l("BIN"),
    "operator_address": _l("Address"),
    "contacts_title": _l("Requests about your data"),
    # TRANSLATORS: a link that writes to the operator, unlike the "Withdraw consent" button,
    # which withdraws the consent given in this browser.
    "request_withdraw": _l("Withdraw consent by e-mail"),
    "request_access": _l("Get a copy of my data"),
    "request_delete": _l("Delete my data"),
    # TRANSLATORS: e-mail subject lines of a visitor's requests to the operator.
    "subject_withdraw": _l("Withdrawal of consent to personal data processing"),
    "subject_access": _l("Request for access to personal data"),
    "subject_delete": _l("Request to delete personal data"),
    # Receipt
    "receipt_title": _l("Your consent receipt"),
    "receipt_id": _l("Consent ID"),
    "receipt_date": _l("Date"),
    "receipt_policy": _l("Policy version"),
    "withdraw": _l("Withdraw consent"),
    "language": _l("Language"),
    # TRANSLATORS: label of the floating button that re-opens the cookie settings.
    "open_settings": _l("Cookie settings"),
    # Consent terms (Law No. 94-V, Art. 8)
    # TRANSLATORS: %(days)s is a number filled in by the widget; avoid plural-dependent words.
    "consent_term": _l("Consent is valid for %(days)s days"),
    # TRANSLATORS: %(countries)s is a comma-separated list of country names.
    "cross_border": _l("Data is transferred abroad to: %(countries)s"),
    "data_collected": _l(
        "Data collected: pseudonymous identifiers in cookies, pages visited, "
        "device and browser type, approximate region"
    ),
    # TRANSLATORS: %(providers)s is a comma-separated list of company names.
    "third_parties": _l("Recipients: %(providers)s"),
    "gpc_notice": _l(
        "Your browser sent a Global Privacy Control signal, so we rejected "
        "non-essential cookies. You can still choose."
    ),
    "no_services": _l("No services in this category"),
    # TRANSLATORS: accessible name of the banner dialog, read by screen readers.
    "dialog_label": _l("Cookie consent"),
}


# What the placeholders of held embeds say (static/widget/src/embed.js), and the settings
# layer about embeds: not the owner's to edit, as the catalog's facts about providers are
# not. {name}, {provider}, {country} and {host} are filled in by the widget.
PLACEHOLDER_TEXTS: dict[str, LazyString] = {
    # TRANSLATORS: {provider} and {country} are filled in; keep the braces as they are.
    "notice": _l(
        "Loading it sends data about your visit, such as your IP address, to {provider} "
        "({country}), which may set its own cookies."
    ),
    # TRANSLATORS: a frame marked by the site whose provider Kelisim does not know; {host}
    # is the web address it comes from.
    "notice_unknown": _l(
        "Loading it sends data about your visit, such as your IP address, to {host}, which "
        "may set its own cookies."
    ),
    # TRANSLATORS: a link; {provider} is the provider's name.
    "policy": _l("Privacy policy of {provider}"),
    # TRANSLATORS: a button that loads this one embed, for this page view only.
    "load": _l("Load {name}"),
    # TRANSLATORS: a button (and a switch in the settings) that allows this provider's
    # embeds on every page, recorded as a consent.
    "allow": _l("Always allow {name}"),
    "note": _l(
        "Videos, maps and posts embedded from other services load from their providers' "
        "servers. Turned off, they stop from the next page on; the cookies they have set "
        "belong to their providers and can only be deleted in your browser."
    ),
}


def placeholder_texts(language: str) -> dict[str, str]:
    """The placeholders' texts in ``language`` (an app context is needed)."""
    if not has_app_context():
        raise RuntimeError("Placeholder texts are translated in an app context.")
    with force_locale(language):
        return {key: str(text) for key, text in PLACEHOLDER_TEXTS.items()}


def texts_for(language: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Return every banner text in ``language``, with the site owner's overrides applied."""
    texts = dict(_defaults(language))
    # Only known keys: an owner's stale or misspelt key must not reach the widget config.
    # A blank override means "use the default", never an empty button.
    texts.update(
        {key: value for key, value in (overrides or {}).items() if key in texts and value.strip()}
    )
    return texts


@cache
def _defaults(language: str) -> dict[str, str]:
    """The default texts in ``language``, translated once per process: every publish and
    every banner editor page needs them, and the catalogs only change with a new release.

    Needs an app context (force_locale is a no-op without one). Placeholders stay in the
    text: lazy_gettext only %-formats when given kwargs, and the server fills them in
    (services/publishing.py) when it builds the banner's files."""
    if not has_app_context():
        raise RuntimeError("Banner texts are translated in an app context.")
    with force_locale(language):
        return {key: str(text) for key, text in DEFAULT_TEXTS.items()}
