"""Versions: every banner version visitors were shown, each one's exact texts, and the
privacy policy's versions with the form that publishes a new one."""

import json

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import defer, selectinload

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.banner_forms import TEXT_LABELS
from backend.dashboard.editing import save_form
from backend.dashboard.versions_forms import PolicyVersionForm
from backend.extensions import db
from backend.labels import LANGUAGE_NAMES
from backend.models import BannerVersion, Role
from backend.routing import page_number
from backend.services import sites as sites_service
from backend.services.versions import changes_of

VERSIONS_PER_PAGE = 20
# What changed between two banner versions, as owners read it (config keys of
# backend/services/publishing.public_config; "texts" is followed by the language).
PART_NAMES = {
    "languages": _l("languages"),
    "default_language": _l("default language"),
    "policy": _l("policy version"),
    "consent_days": _l("how long a choice is kept"),
    "respect_dnt": _l("Do Not Track"),
    "appearance": _l("appearance"),
    "operator": _l("operator details"),
    "services": _l("trackers"),
    "texts": _l("banner texts"),
}


def part_name(part: str) -> str:
    """A changed part of the config in plain words: "banner texts (kk)", "trackers"."""
    key, _sep, language = part.partition(":")
    name = str(PART_NAMES.get(key, key))
    return f"{name} ({language})" if language else name


def _versions_page(form: PolicyVersionForm, status=200):
    site = g.site
    versions = db.paginate(
        sa.select(BannerVersion)
        .where(BannerVersion.site_id == site.id)
        # The list compares configs and hashes; the texts themselves stay in the database.
        .options(selectinload(BannerVersion.user), defer(BannerVersion.texts))
        .order_by(BannerVersion.version.desc()),
        per_page=VERSIONS_PER_PAGE,
        page=page_number(),
        error_out=False,
    )
    changes = changes_of(db.session, site, versions.items)
    return render_template(
        "dashboard/versions.html",
        versions=versions,
        changes=[None if parts is None else [part_name(p) for p in parts] for parts in changes],
        policies=sorted(site.policies, key=lambda policy: policy.version, reverse=True),
        form=form,
        can_publish=g.membership.role.allows(Role.EDITOR),
    ), status


@bp.get("/sites/<site_key>/versions")
@least_role(Role.VIEWER)
def versions():
    """Banner versions (newest first, with what each changed) and policy versions."""
    form = PolicyVersionForm()
    form.shown_for(g.site)
    return _versions_page(form)


@bp.post("/sites/<site_key>/versions/policy")
@least_role(Role.EDITOR)
def publish_policy():
    """Publish a new policy version; one that requires new consent asks every visitor again."""
    site = g.site
    form = PolicyVersionForm()
    status, policy = save_form(
        form,
        site,
        lambda: sites_service.publish_policy(
            db.session, site, current_user, form.requires_consent.data, form.note.data
        ),
    )
    if status is not None:
        return _versions_page(form, status)
    flash(_("Policy version %(version)s is published.", version=policy.version), "success")
    return redirect(url_for("dashboard.versions", site_key=site.public_key))


@bp.get("/sites/<site_key>/versions/<int:number>")
@least_role(Role.VIEWER)
def banner_version(number: int):
    """One banner version: its exact texts in each language with their hashes."""
    site = g.site
    version = db.session.scalar(
        sa.select(BannerVersion).where(
            BannerVersion.site_id == site.id, BannerVersion.version == number
        )
    )
    if version is None:
        abort(404)
    return render_template(
        "dashboard/versions_banner.html",
        version=version,
        language_names=LANGUAGE_NAMES,
        text_labels=TEXT_LABELS,
        config_json=json.dumps(version.config, ensure_ascii=False, indent=2, sort_keys=True),
    )
