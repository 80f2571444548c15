/*
 * Kelisim banner (GET /w/<site_key>/<release>/banner.<language>.js): the consent UI, and
 * everything that happens when a visitor decides: storing the decision, sending events,
 * withdrawal. The loader inserts it only when something must be shown, with the language it
 * detected, and gates the trackers itself; this file registers shared._ui(layer) and
 * shared._texts(pack) on the loader's internal object (window.kelisim._, documented in
 * kelisim.js). Another language's texts come from texts.js when the visitor uses the switcher.
 * Sections, in order: config, storage, UI, network, start.
 */
(function (window, document) {
  var shared = window.kelisim && window.kelisim._;
  if (!shared || shared._ui) return;

  // ---------------------------------------------------------------- config
  // config: the loader's (_languages, _services; its keys short, src/kelisim.js). pack: this file's, in one language: where
  // the widget lives, the site and config version, the first layer's texts and the hash of
  // all texts, the policy version, legal notice, the policy's URL, the services' cookies,
  // look. texts.js brings a language's pack in full (with the settings layer's texts, the
  // operator and the services' details), when the visitor opens the settings or switches
  // language: most visitors decide on the first layer.
  var config = shared._config;
  var pack = __KELISIM_CONFIG__;
  var services = config._services;
  var CATEGORIES = ['necessary', 'analytics', 'marketing', 'functional'];
  var OPTIONAL = CATEGORIES.slice(1);
  var NATIVE = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
  var SIGNAL = navigator.globalPrivacyControl ? 'gpc'
    : pack.respect_dnt && navigator.doNotTrack == 1 ? 'dnt' : 'none';
  var AGE = pack.days * 86400;
  var stored = shared._stored;
  // The texts of each language loaded so far, and what waits for texts.js (withTexts'
  // arguments).
  var packs = { [pack.language]: pack };
  var pending;
  var firstLayerPack = pack;

  var text = (key) => pack.texts[key];
  var details = (service) => pack.services[service._id] || {};
  // The embed a consent key stands for (a service's id or an embed's kind): its kind.
  var kinds = config._kinds;
  var embedOf = (key) => {
    var kind = (services.find((service) => service._id === key) || {})._kind || key;
    return kinds[kind]?.[4] && kind;
  };
  // The embeds on this page (held, or loaded: their frames and scripts) and those granted
  // by themselves, by consent key: each has a choice of its own in the settings.
  var embedKeys = () => [...new Set(shared._held.map((held) => held._key)
    .concat(shared._decided ? stored.s : [])
    .concat([...document.querySelectorAll('iframe[src],script[src]')]
      .map((element) => shared._kindOf(element.src, element.localName === 'script' ? 1 : 2))
      .filter(Boolean).map(shared._keyOfKind)))].filter(embedOf);
  // Only Metrica has the option (its session recording, a choice of its own).
  var webvisor = (service) => service._options.webvisor;

  // ---------------------------------------------------------------- storage
  // A random UUID v4: random hex digits but for the version (4) and variant bits, from one
  // call for random bytes. (crypto.randomUUID exists only in secure contexts.)
  function uuid() {
    var bytes = crypto.getRandomValues(new Uint8Array(31));
    var i = 0;
    return '10000000-1000-4000-8000-100000000000'
      .replace(/[018]/g, (digit) => (digit ^ bytes[i++] & 15 >> digit / 4).toString(16));
  }

  // A first-party cookie of ours; without maxAge, a session cookie.
  function setCookie(nameValue, maxAge, domain) {
    try {
      document.cookie = nameValue + ';path=/;SameSite=Lax' + (maxAge == null ? '' : ';max-age=' + maxAge) +
        (domain ? ';domain=' + domain : '') + (location.protocol === 'https:' ? ';Secure' : '');
    } catch { /* cookies disabled: the choice lasts for this page only */ }
  }

  var hasCookie = (name) => new RegExp('(?:^|;\\s*)' + name + '=').test(document.cookie);

  // The cookie (its format is in README.md; the loader reads it): every field of stored, lists
  // joined with "|".
  function store() {
    stored.v = 1;
    var fields = Object.keys(stored).map((key) => key + '=' + [].concat(stored[key]).map(encodeURIComponent).join('|'));
    setCookie('kelisim=' + fields.join('&'), AGE);
  }

  // Delete the cookies of every tracker not granted now, on this host and each parent domain,
  // and Metrica's storage keys with its cookies: the configured services' (by service), and
  // those of the known trackers the site did not configure, which the loader holds by their
  // category (the server lists them by category).
  function cleanup() {
    var names = services.flatMap((service) => shared._accepted(service._id) ? [] : details(service).cookies || [])
      .concat(...Object.entries(pack.unconfigured_cookies).map(([category, cookies]) => shared._accepted(category) ? [] : cookies));
    var domainParts = location.hostname.split('.');
    try {
      document.cookie.split(/;\s*/).forEach((cookie) => {
        var name = cookie.split('=')[0];
        var hit = names.some((pattern) => pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name);
        for (var i = 0; hit && i <= domainParts.length; i++) {
          setCookie(name + '=', 0, i ? domainParts.slice(i - 1).join('.') : '');
        }
      });
      if (names.includes('_ym_*')) {
        [localStorage, sessionStorage].forEach((area) => {
          Object.keys(area).forEach((key) => {
            if (/^_ym/.test(key)) area.removeItem(key);
          });
        });
      }
    } catch { /* storage blocked: nothing of ours to clean */ }
  }

  // All of it inside the shadow root. :host's !important rules beat even the page's !important
  // ones (and all:initial!important beats any :host declaration of ours without !important).
  // pack.theme holds the site's colours (the accent, text on it, links), picked by the server
  // for 4.5:1 contrast. No animation: nothing to reduce for reduced motion.
  var theme = pack.theme;
  var CSS =
    ':host{all:initial!important;display:grid!important;position:fixed!important;z-index:2147483647!important;' +
    'inset:' + ({ top: '0 0 auto', center: '0' }[pack.position] || 'auto 0 0') + '!important;align-items:center!important' +
    (pack.position === 'center' ? ';background:#0007!important}' : '}') +
    // At most 960px wide, centred, at least 12px from the edges, and no taller than the
    // screen (dvh: with a phone's browser bars shown; every browser of the last two years
    // has it): the heading and the buttons stay in view, what is between them scrolls (.body;
    // its padding keeps the focus outlines of what is inside unclipped).
    '.dialog{--accent:' + theme.accent + ';--on-accent:' + theme.on_accent + ';--link:' + theme.link +
    ';margin:12px max(12px,50% - 480px);max-height:calc(100dvh - 24px);' +
    'box-sizing:border-box;display:flex;flex-direction:column;padding:18px 20px;background:#fff;color:#1a1a1a;' +
    'font:15px/1.45 system-ui,sans-serif;border-radius:10px;box-shadow:0 4px 24px #0005}' +
    '.body{overflow:auto;min-height:0;margin:0 -6px;padding:0 6px}' +
    'p,ul,dl,dd{margin:0 0 8px}h2,h3{margin:0}h2{font-size:18px}h3{font-size:15px}.header{margin-bottom:8px}' +
    'a{color:var(--link)}.small{font-size:13px;color:#4d4d4d}' +
    '.header,.heading,label{display:flex;flex-wrap:wrap;align-items:center;gap:8px}.header,.heading{justify-content:space-between}' +
    '.buttons{display:flex;flex-wrap:wrap;gap:8px;padding-top:12px}.body+.buttons{border-top:1px solid #ddd}' +
    'select{font:inherit;font-size:13px;padding:4px}' +
    'button{font:inherit;font-weight:600;min-height:44px;padding:8px 16px;border-radius:8px;' +
    'border:2px solid var(--accent);background:#fff;color:var(--link);flex:1 1 150px}' +
    '.primary{background:var(--accent);color:var(--on-accent)}' +
    // Controls show where focus is; the dialog itself, focused so that screen readers start
    // there, is no control, and Chrome would frame the whole banner on every page load.
    ':focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}.dialog{outline:0}' +
    '.section{border-top:1px solid #ddd;padding:10px 0}' +
    'input{width:22px;height:22px;margin:0;accent-color:var(--accent)}.nested{margin:8px 0 0 16px}dt{font-weight:600}';

  // ---------------------------------------------------------------- UI
  var host, root, dialog, layer, back, shown;
  var choice = {};

  // An element with attributes (on* are handlers) and children: elements, or strings, which
  // become text nodes (never HTML). Arrays are flattened; false, null and '' are skipped.
  function el(tag, attributes, ...children) {
    var element = document.createElement(tag);
    for (var name in attributes) {
      var value = attributes[name];
      if (name.startsWith('on')) element[name] = value;
      else if (value != null && value !== false) element.setAttribute(name, value === true ? '' : value);
    }
    element.append(...children.flat(3).filter(Boolean));
    return element;
  }

  var button = (key, className, onclick) => el('button', { type: 'button', class: className, onclick: onclick }, text(key));

  // A layer: its heading, what it says (scrolled, if need be), and below it its buttons,
  // always in view: Accept all and Reject all, the same in size, weight and colour, then
  // the layer's others.
  var layout = (title, body, ...others) => [header(title), el('div', { class: 'body' }, body),
    el('div', { class: 'buttons' },
      button('accept_all', 'primary', () => decide('accept_all', OPTIONAL)),
      button('reject_all', 'primary', () => decide('reject_all', [])),
      others)];

  // A paragraph of small print.
  var small = (words, id) => el('p', { class: 'small', id: id }, words);

  // Term-and-description pairs; empty ones are left out.
  var pairs = (rows) => el('dl', { class: 'small' },
    rows.map(([term, value]) => value && [el('dt', {}, term), el('dd', {}, value)]));

  function header(title) {
    return el('div', { class: 'header' }, el('h2', {}, text(title)), config._languages.length > 1 && el('select', {
      'aria-label': text('language'),
      onchange: (event) => switchTo(event.target.value)
    }, config._languages.map((code) => el('option', { value: code, lang: code, selected: code === pack.language }, NATIVE[code]))));
  }

  // Puts a language's texts in use, with the settings layer's if `full`, then calls done():
  // at once if they are here, else once texts.js has brought them. The last asked for
  // wins. Backend down: failed(), with the texts in use as they were.
  function withTexts(language, full, done, failed) {
    var loaded = packs[language];
    if (loaded && (loaded !== firstLayerPack || !full)) {
      pack = loaded;
      return done();
    }
    pending = [language, full, done, failed];
    shared._addScript(config._files + 'texts.' + language + '.js').onerror = failed;
  }

  shared._texts = (loaded) => {
    packs[loaded.language] = loaded;
    if (pending?.[0] === loaded.language) withTexts(...pending);
  };

  // Another language: the same layer shown again, and focus kept on the switcher.
  function switchTo(language) {
    var again = () => {
      render(layer);
      root.querySelector('select').focus();
    };
    withTexts(language, layer === 'settings', again, again);
  }

  // Meanwhile, and if texts.js never comes, the first layer stays, and its buttons work.
  function openSettings() {
    withTexts(pack.language, true, () => {
      render('settings');
      dialog.focus();
    });
  }

  function firstLayer() {
    var url = pack.operator.policy_url;
    return layout('title', [
      el('p', { id: 'description' }, text('description') + ' ',
        url && el('a', { href: url, target: '_blank' }, text('policy_link'))),
      // What a consent must name (Law No. 94-V, Art. 8), filled in by the server.
      small(pack.legal)
    ], button('settings', '', openSettings));
  }

  function toggle(key, label, describedBy) {
    return el('label', {},
      el('input', {
        type: 'checkbox', role: 'switch', checked: choice[key], 'aria-describedby': describedBy,
        onchange: (event) => { choice[key] = event.target.checked; }
      }),
      el('span', {}, text(label)));
  }

  // Who runs a service, why, what it sets, where the data goes and for how long.
  function serviceDetails(service, facts = details(service)) {
    var rows = ['provider', 'purpose', 'cookies', 'country', 'term']
      .map((fact) => [text('service_' + fact), [].concat(facts[fact] || []).join(', ')]);
    return el('details', {}, el('summary', {}, facts.name || service._id), pairs(rows));
  }

  // An embed's own choice ("always allow"), under its category.
  var embedToggle = (key, name) => el('label', { class: 'nested' },
    el('input', {
      type: 'checkbox', role: 'switch', checked: choice[key],
      onchange: (event) => { choice[key] = event.target.checked; }
    }),
    el('span', {}, pack.embed_texts.allow.replace('{name}', name)));

  function category(name) {
    var list = services.filter((service) => service._category === name);
    // The embeds held here that the site has no service for, by their kind's category.
    var embeds = embedKeys().filter((key) => !list.some((service) => service._id === key) &&
      !services.some((service) => service._id === key) && kinds[key][0] === name);
    var title = text(name + '_title');
    return el('section', { class: 'section', 'aria-label': title },
      el('div', { class: 'heading' }, name === 'necessary'
        ? [el('h3', {}, title), el('span', { class: 'small' }, text('always_on'))]
        : toggle(name, name + '_title', name + '-description')),
      small(text(name + '_description'), name + '-description'),
      list.map((service) => [serviceDetails(service), webvisor(service) && el('div', { class: 'nested' },
        toggle('webvisor', 'webvisor_title', 'webvisor-description'),
        small(text('webvisor_description'), 'webvisor-description')),
      embedOf(service._id) && embedToggle(service._id, details(service).name || service._id)]),
      embeds.map((key) => [
        serviceDetails({ _id: key }, pack.embeds[key]),
        embedToggle(key, pack.embeds[key].name)
      ]),
      (embeds.length || list.some((service) => embedOf(service._id))) && small(pack.embed_texts.note),
      !list.length && !embeds.length && small(text('no_services')));
  }

  // A request the operator's policy names, as a mail with the policy's subject line.
  var request = (kind) => el('li', {}, el('a', {
    href: 'mailto:' + pack.operator.email + '?subject=' + encodeURIComponent(text('subject_' + kind))
  }, text('request_' + kind)));

  function settingsLayer() {
    var decided = shared._decided;
    return layout('settings', [
      SIGNAL === 'gpc' && small(text('gpc_notice')),
      CATEGORIES.map(category),
      el('section', { class: 'section', 'aria-labelledby': 'operator' },
        el('h3', { id: 'operator' }, text('operator_title')),
        small(pack.operator.line),
        pack.operator.email && [
          el('h3', {}, text('contacts_title')),
          el('ul', { class: 'small' }, ['withdraw', 'access', 'delete'].map(request))
        ]),
      // The visitor's receipt.
      decided && el('section', { class: 'section', 'aria-labelledby': 'receipt' },
        el('h3', { id: 'receipt' }, text('receipt_title')),
        pairs([
          [text('receipt_id'), stored.id],
          [text('receipt_date'), new Date(stored.t * 1e3).toLocaleString(pack.language)],
          [text('receipt_policy'), stored.p + '']
        ]))
    ],
    button('save', '', () => decide('custom', OPTIONAL.filter((name) => choice[name]))),
    decided && stored.c.length + stored.s.length && button('withdraw', '', () => decide('withdraw', [])),
    button(decided ? 'close_settings' : 'back', '', goBack));
  }

  function render(which) {
    layer = which;
    dialog = el('div', {
      class: 'dialog', role: 'dialog', 'aria-label': text('dialog_label'), tabindex: -1, lang: pack.language,
      'aria-describedby': which === 'first' && 'description'
    }, which === 'first' ? firstLayer() : settingsLayer());
    root.replaceChildren(dialog);
  }

  function goBack() {
    if (shared._decided) return close();
    render('first');
    dialog.focus();
  }

  function close() {
    host.remove();
    try {
      shared._floatingButton(text('open_settings'));
      (back?.isConnected ? back : document.body).focus({ preventScroll: true });
    } catch { /* focus is a courtesy */ }
  }

  // Shows a layer ("first" or "settings") and moves focus into the dialog.
  shared._ui = (which) => {
    if (which === 'reset') {
      // Forget the decision (a new visitor), delete the trackers' data, start again.
      shared._apply({ c: [], s: [] });
      setCookie('kelisim=', 0);
      cleanup();
      return location.reload();
    }
    OPTIONAL.forEach((name) => { choice[name] = shared._accepted(name); });
    choice.webvisor = services.some((service) => shared._accepted(service._id + '.webvisor'));
    embedKeys().forEach((key) => { choice[key] = stored.s.includes(key); });
    if (which.startsWith('allow:')) {
      // A placeholder's "always allow": the decision as it was, and this embed granted.
      layer = 'placeholder';
      choice[which.slice(6)] = 1;
      return decide('custom', OPTIONAL.filter((name) => choice[name]));
    }
    layer = which;
    if (which === 'first' && SIGNAL !== 'none') {
      // GPC (or DNT where the site respects it) is an automatic reject, recorded as such;
      // the visitor can still choose from the settings.
      decide(SIGNAL === 'gpc' ? 'gpc' : 'reject_all', []);
      return shared._floatingButton(text('open_settings'));
    }
    if (!host) {
      host = document.createElement('kelisim-ui');
      root = host.attachShadow({ mode: 'open' });
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      // Escape never decides: settings go back, the first layer hands focus back to the page.
      host.onkeydown = (event) => {
        if (event.key !== 'Escape') return;
        if (layer === 'settings' || shared._decided) goBack();
        else back?.focus();
      };
    }
    // Focus returns to what had it: inside a shadow root (the floating button's), the element.
    var active = document.activeElement;
    if (active !== document.body && active !== host) {
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      back = active;
    }
    // The settings layer without its texts yet: the first layer until they come.
    var here = which === 'first' || pack !== firstLayerPack;
    render(here ? which : 'first');
    // In <html>, not <body>: a transform or filter on <body> would make it the box that
    // position:fixed is relative to, and a banner at the bottom of a long page.
    document.documentElement.appendChild(host);
    var focus = () => dialog.focus({ preventScroll: true });
    if (which === 'first') {
      // On page load, focus moves in once the banner has been drawn (unless the visitor has
      // reached a control of it by then). At once, it would force the page's first style and
      // layout inside this script: 3-4 ms of it here, and no less work in all.
      requestAnimationFrame(() => setTimeout(() => {
        if (document.activeElement !== host) focus();
      }));
    } else {
      focus();
    }
    if (!here) openSettings();
    if (which === 'first' && !shared._decided && !shown) {
      shown = 1;
      countImpression();
    }
  };

  // Record a decision: store it, send it, make the page match; reload if anything was revoked.
  function decide(action, categories) {
    var granted = services.filter((service) => categories.includes(service._category)).flatMap((service) =>
      webvisor(service) && (action === 'accept_all' || choice.webvisor) ? [service._id, service._id + '.webvisor'] : service._id);
    // Embeds allowed by themselves, in a custom choice.
    if (action === 'custom') granted = [...new Set(granted.concat(embedKeys().filter((key) => choice[key])))];
    var before = shared._decided ? stored.c.concat(stored.s) : [];
    // A decision that takes back anything granted before is a withdrawal, whichever button
    // made it, carrying what stays granted: so the withdrawal rate counts every one.
    var revoked = before.some((key) => !categories.concat(granted).includes(key));
    if (revoked) action = 'withdraw';
    // Decisions are told apart by their expiry, in seconds (the server stores a decision
    // sent again once): one made in the same second as the one before it (two placeholders'
    // "always allow") counts as a second later.
    var now = Math.max(Date.now() / 1e3 | 0, (stored.t | 0) + 1);
    // The visitor's random consent ID is made with their first decision (before it the
    // browser holds no identifier), and kept with every later one: their receipt.
    if (!stored.t || !/^[0-9a-f-]{36}$/.test(stored.id)) stored.id = uuid();
    Object.assign(stored, {
      t: now, x: now + AGE, p: pack.policy_version, b: pack.version, a: action, g: SIGNAL, l: pack.language,
      c: categories, s: granted
    });
    store();
    shared._decided = true;
    if (host) close();
    var sent = send(action);
    shared._apply({ c: categories, s: granted });
    // For Tag Manager triggers, where Google's Consent Mode is kept (after its update).
    if (shared._google) window.dataLayer.push({ event: 'kelisim_consent', kelisim_categories: categories, kelisim_services: granted });
    var change = { action: action, categories: categories, services: granted };
    shared._listeners.forEach((listener) => {
      try { listener(change); } catch { /* the host's bug */ }
    });
    document.dispatchEvent(new CustomEvent('kelisim:change', { detail: change }));
    if (revoked) {
      // A running tag cannot be unloaded: the loader's opt-out flags and Consent Mode update
      // stop what they can. Once the server has acknowledged the event (or a second has
      // passed), so that the reloaded page need not send it again, the trackers' data is
      // deleted (what a tag still starting meanwhile sets too) and the page reloaded so that
      // nothing runs any more.
      Promise.race([sent, new Promise((done) => setTimeout(done, 1e3))]).then(() => {
        cleanup();
        location.reload();
      });
    }
  }

  // ---------------------------------------------------------------- network
  // Events go to the server without a request of their own where they can: an impression
  // ("shown") waits for the decision made on its page and goes with it, in one request, or,
  // when the page is hidden or left first, by sendBeacon, once.
  // Decisions sent and not acknowledged yet are kept in localStorage as the arguments of a
  // sendBeacon() call with all of them, made on a later page view (resend), once: a backend
  // that is down or a page closed at once loses no decision, and a backend that stays down
  // gets no loop of retries. The server stores each decision once, so a copy whose first
  // send arrived after all (a page left before the answer came) is dropped. An impression is
  // never sent again: the server could not tell a copy from another impression.
  var EVENTS = pack.api + '/events';
  var impression;
  var unsent = [];

  // An event as the events API takes it; a decision carries what it granted and until when.
  function event(action) {
    var body = {
      site: pack.site, action: action, policy_version: pack.policy_version, banner_version: pack.version,
      texts_hash: pack.texts_hash, language: pack.language, layer: layer, signal: SIGNAL
    };
    if (action !== 'shown') {
      Object.assign(body, {
        consent_id: stored.id, categories: stored.c, services: stored.s, expires_at: new Date(stored.x * 1e3).toISOString()
      });
    }
    return body;
  }

  // A banner shown to a visitor who has not decided: one impression for each stretch of a
  // browser session without a decision, so that the rates count visitors asked rather than
  // pages viewed. The session cookie kelisim_shown=1 says that this stretch is counted; its
  // value is the same for everyone (no identifier), and a decision deletes it.
  function countImpression() {
    if (hasCookie('kelisim_shown')) return;
    setCookie('kelisim_shown=1');
    impression = event('shown');
    // The kinds of known trackers held on this page that no configured service stands for,
    // so that the owner learns of them (kinds only, never a URL).
    impression.found = [...new Set(shared._held.flatMap((held) => {
      var kind = held._kind;
      return kind && !services.some((service) => service._kind === kind || service._id === held._key) ? kind : [];
    }))].slice(0, 10);
    var leave = (pageEvent) => {
      try {
        if (impression && (pageEvent.type === 'pagehide' || document.hidden)) {
          navigator.sendBeacon(EVENTS, JSON.stringify({ events: [impression] }));
          impression = null;
        }
      } catch { /* never throw into the host page */ }
    };
    document.addEventListener('visibilitychange', leave);
    window.addEventListener('pagehide', leave);
  }

  function keepUnsent() {
    try {
      if (unsent.length) localStorage.kelisim = JSON.stringify([EVENTS, JSON.stringify({ events: unsent })]);
      else delete localStorage.kelisim;
      // localStorage, whose first use on a page costs more than a returning visit's whole
      // script, is opened on a later page only when this flag is among the cookies (the
      // loader then loads this file).
      setCookie('kelisim_unsent=1', unsent.length ? AGE : 0);
    } catch { /* storage blocked: nothing kept */ }
  }

  // What an earlier page kept: sent once more, and never again.
  function resend() {
    try {
      if (hasCookie('kelisim_unsent')) {
        setCookie('kelisim_unsent=', 0);
        var kept = localStorage.kelisim;
        delete localStorage.kelisim;
        navigator.sendBeacon(...JSON.parse(kept));
      }
    } catch { /* storage blocked: nothing kept */ }
  }

  // A decision, with the page's impression if it is still here, as text/plain (no CORS
  // preflight), kept alive if the page closes. The promise settles when the server has
  // answered (or cannot be reached), and never rejects.
  function send(action) {
    var decision = event(action);
    var events = impression ? [impression, decision] : [decision];
    impression = null;
    // The next undecided stretch of this session counts its own impression.
    setCookie('kelisim_shown=', 0);
    unsent.push(decision);
    keepUnsent();
    return fetch(EVENTS, { method: 'POST', body: JSON.stringify({ events: events }), keepalive: true, credentials: 'omit' })
      .then((response) => {
        if (response.ok) {
          unsent = unsent.filter((other) => other !== decision);
          keepUnsent();
        }
      })
      .catch(() => { /* kept for a later page */ });
  }

  // ---------------------------------------------------------------- start
  // First the decision an earlier page kept, then a GPC signal's own (layer "first").
  resend();
  try {
    if (shared._wanted) shared._ui(shared._wanted);
  } catch { /* never throw into the host page */ }
})(window, document);
