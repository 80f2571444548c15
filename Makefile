# Everyday commands. `make run` installs and starts Kelisim; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
KELISIM_CHROMIUM ?= /usr/bin/chromium
KELISIM_NGINX ?= /usr/sbin/nginx
export KELISIM_CHROMIUM KELISIM_NGINX

.PHONY: install translations catalogs migrate run test test-fast lint format widget widget-deps browser

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^compiling' || true

# pgettext(context, text) where one English word has two meanings ("Change": a column of
# figures, or to change a role); _lp is the lazy one (pgettext itself is a default keyword).
CONTEXT_KEYWORDS = -k pgettext:1c,2 -k lazy_pgettext:1c,2 -k _lp:1c,2
# After changing user-visible strings: extract them and merge them into the kk/ru/en catalogs,
# then fill in every new msgstr (no empty or fuzzy kk/ru entry may stay).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l $(CONTEXT_KEYWORDS) -c TRANSLATORS: -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

migrate: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi publish-versions

run: migrate
	$(BIN)/flask --app wsgi demo --host $(HOST) --port $(PORT)
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download a browser here),
# openssl for the certificates of their stand-in hosts, and nginx for the test that runs the
# deploy guide's config (tests/test_deploy_guide.py).
browser:
	@{ test -x "$(KELISIM_CHROMIUM)" && test -x "$(KELISIM_NGINX)" && command -v openssl >/dev/null; } || { \
		echo "Installing Debian's chromium, nginx and openssl for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium nginx openssl >/dev/null; }

lint: $(VENV)/.installed
	$(BIN)/ruff check backend tests bench wsgi.py setup.py
	$(BIN)/ruff format --check backend tests bench wsgi.py setup.py

test: install browser lint widget-deps
	$(BIN)/python -m pytest

# Everyday subset (a few minutes): SQLite only, no browser, no wheel install.
test-fast: install
	$(BIN)/python -m pytest --sqlite-only -m "not browser and not install"

format: $(VENV)/.installed
	$(BIN)/ruff check --fix backend tests bench wsgi.py setup.py
	$(BIN)/ruff format backend tests bench wsgi.py setup.py

# The widget's build tool (esbuild) as package-lock.json pins it: the tests build the widget
# to check that the committed dist/ and mangle-cache.json are what src/ builds to.
WIDGET_DEPS = static/widget/node_modules/.package-lock.json
$(WIDGET_DEPS): static/widget/package-lock.json
	cd static/widget && npm ci --silent --no-audit --no-fund
	touch $@

widget-deps: $(WIDGET_DEPS)

# Rebuild static/widget/dist/ from static/widget/src/ (needs Node.js; dist/ is committed).
widget: widget-deps
	cd static/widget && npm run build
