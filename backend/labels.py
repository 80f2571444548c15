"""What people read for the values Kelisim stores: languages, categories, roles, visitors'
actions, audit log entries, devices and stats dimensions, each defined once.

The widget names the languages again for visitors (static/widget/src/banner.js); the
banner's own texts are in backend/banner_texts.py."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from backend.models import Role

# Each language named in itself, as people look for their own (the same in the widget).
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
# A language named in the reader's language, after a text's name ("Banner text (Kazakh)").
LANGUAGE_IN_BRACKETS = {
    "kk": _lp("language, after a text's name", "Kazakh"),
    "ru": _lp("language, after a text's name", "Russian"),
    "en": _lp("language, after a text's name", "English"),
}

CATEGORY_NAMES = {
    "necessary": _l("Necessary"),
    "analytics": _l("Analytics"),
    "marketing": _l("Marketing"),
    "functional": _l("Functional"),
}

ROLE_NAMES = {Role.OWNER: _l("Owner"), Role.EDITOR: _l("Editor"), Role.VIEWER: _l("Viewer")}

# A visitor's consent events (ConsentEvent.action), as an owner reads a receipt.
EVENT_ACTION_NAMES = {
    "shown": _l("Banner shown"),
    "accept_all": _l("Accepted all"),
    "reject_all": _l("Rejected all"),
    "custom": _l("Saved own choice"),
    "withdraw": _l("Withdrew consent"),
    "gpc": _l("Rejected by the browser's privacy signal (GPC)"),
}

# Changes in a site's audit log (AuditEntry.action); an action without a name here is shown
# as recorded.
AUDIT_ACTION_NAMES = {
    "site.create": _l("Created the site"),
    "site.update": _l("Changed the site's settings"),
    "site.import": _l("Imported a configuration file"),
    "service.add": _l("Added a tracker"),
    "service.update": _l("Changed a tracker"),
    "service.remove": _l("Removed a tracker"),
    "service.necessary": _l("Let a custom script run without consent (Necessary)"),
    "banner.update": _l("Changed the banner"),
    "documents.update": _l("Changed the documents' details"),
    "member.invite": _l("Invited a member"),
    "member.join": _l("Joined the site"),
    "member.role": _l("Changed a member's role"),
    "member.remove": _l("Removed a member"),
    "invitation.revoke": _l("Revoked an invitation"),
    "policy.publish": _l("Published a policy version"),
    "token.create": _l("Made an API token"),
    "token.revoke": _l("Revoked an API token"),
    "shared_link.create": _l("Made a shared link"),
    "shared_link.revoke": _l("Revoked a shared link"),
}

# What the audit log's entries record besides the fields of a form (backend/dashboard/
# audit_details.py names those by the forms' own labels).
AUDIT_DETAIL_NAMES = {
    "consent_days": _l("Consent lifetime, days"),
    "version": _l("Policy version"),
    "requires_consent": _l("Requires new consent"),
    "note": _l("Note"),
    "invitation": _l("Invitation"),
    "member": _l("Member"),
    "email": _l("E-mail"),
    "kind": _l("Kind of tracker"),
    "password": _l("Protected by a password"),
    "format": _l("File format"),
    "services": _l("Trackers and embeds in the file"),
}

DEVICE_NAMES = {
    "desktop": _l("Desktop"),
    "mobile": _l("Mobile"),
    "tablet": _l("Tablet"),
    "bot": _l("Bot"),
}

# The stats' periods and breakdowns, as the overview names them.
INTERVAL_NAMES = {"day": _l("by day"), "week": _l("by week"), "month": _l("by month")}
DIMENSION_NAMES = {"language": _l("Language"), "device_class": _l("Device")}
