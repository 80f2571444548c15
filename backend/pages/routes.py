"""Pages for people: the landing page and the demo operator page."""

from flask import abort, redirect, render_template, request, url_for

from backend.extensions import db
from backend.pages import bp
from backend.security_headers import csp_nonce, page_policy
from backend.services.demo import demo_site
from backend.web import published_site

# Where the demo's trackers load from and report to, once a visitor allows them.
DEMO_TRACKER_HOSTS = (
    "https://mc.yandex.ru",
    "https://mc.yandex.com",
    "https://www.googletagmanager.com",
    "https://*.google-analytics.com",
)

# The demo operator's own page copy (its content, not Kelisim's UI, so not in the catalogs).
DEMO_COPY = {
    "kk": {
        "heading": "Бүгін кинотеатрда",
        "lead": "Жаңа фильмдер кестесі және билеттер. Жаңалықтарға жазылыңыз.",
        "email": "Электрондық пошта",
        "subscribe": "Жазылу",
        "settings": "Cookie баптаулары",
    },
    "ru": {
        "heading": "Сегодня в кинотеатре",
        "lead": "Расписание новых фильмов и билеты. Подпишитесь на новости.",
        "email": "Электронная почта",
        "subscribe": "Подписаться",
        "settings": "Настройки cookie",
    },
    "en": {
        "heading": "Now showing",
        "lead": "New films and tickets. Subscribe to our news.",
        "email": "E-mail",
        "subscribe": "Subscribe",
        "settings": "Cookie settings",
    },
}


@bp.get("/")
def index():
    """What this server is, with a link to the API document."""
    return render_template("pages/index.html")


@bp.get("/demo")
def demo_home():
    """The demo site's page, once `flask --app wsgi demo` has created it."""
    site = demo_site(db.session)
    if site is None:
        abort(404)
    return redirect(url_for("pages.demo", site_key=site.public_key))


@bp.get("/demo/<site_key>")
def demo(site_key: str):
    """An operator's page with the real snippet and the vendors' own tracker snippets pasted
    unchanged, so the banner and the gating can be seen working. The demo site's only: any
    other site's banner and managed trackers would run on Kelisim's own origin."""
    site = demo_site(db.session)
    if site is None or site.public_key != site_key:
        abort(404)
    site = published_site(site_key)
    counter_ids = [
        s["options"].get("counter_id")
        for s in site.config["services"]
        if s["kind"] == "yandex_metrica" and not s["managed"]
    ]
    lang = request.args.get("lang")
    if lang not in DEMO_COPY:
        lang = site.config["default_language"]
    html = render_template(
        "pages/demo.html",
        lang=lang,
        copy=DEMO_COPY[lang],
        site=site.config,
        widget_url=url_for("widget.loader", site_key=site_key),
        counter_id=next(iter(counter_ids), None),
    )
    # The policy an operator's page with these trackers would have (static/widget/README.md).
    return html, {"Content-Security-Policy": page_policy(csp_nonce(), DEMO_TRACKER_HOSTS)}
