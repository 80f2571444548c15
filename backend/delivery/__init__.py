"""Delivery: how what sites publish reaches visitors' browsers.

What a site publishes is a rule (services/publishing.py); this package turns it into files
and answers: a site's snapshot and the widget files built from the widget's templates
(snapshot.py, templates.py), compressed once (compression.py), written to disk as releases
(files.py) by a worker behind the requests (publisher.py), kept in each process
(cache.py) and answered as each client accepts (responses.py).
"""

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from backend.delivery.cache import PublishedSites
from backend.delivery.files import PublishedFiles
from backend.delivery.publisher import Publisher
from backend.delivery.templates import WidgetTemplates


@dataclass
class Delivery:
    """This app's widget templates, published folder (None without PUBLIC_URL), the
    worker that writes it, and the cache of snapshots."""

    templates: WidgetTemplates
    files: PublishedFiles | None
    publisher: Publisher | None
    sites: PublishedSites


def init_app(app: Flask) -> Delivery:
    templates = WidgetTemplates(app.config["WIDGET_DIST"], reload=app.debug)
    files = publisher = None
    if app.config["PUBLIC_URL"]:
        directory = app.config["PUBLISHED_DIR"] or Path(app.instance_path) / "published"
        files = PublishedFiles(Path(directory), templates)
        publisher = Publisher(app, files)
    sites = PublishedSites(app.config["WIDGET_CACHE_SECONDS"], templates, files, publisher)
    delivery = app.extensions["kelisim.delivery"] = Delivery(templates, files, publisher, sites)
    return delivery


def delivery() -> Delivery:
    """The current app's delivery."""
    return current_app.extensions["kelisim.delivery"]
