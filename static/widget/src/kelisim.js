/*
 * Kelisim loader (GET /w/<site_key>.js): the small script every page view downloads.
 * Placed first in <head>, it keeps trackers from running until the visitor agrees, reads the
 * decision from the first-party cookie and loads banner.js (the UI, decisions and events) only
 * when something must be shown, so a returning visitor downloads nothing else.
 * Sections, in order: config, storage, gating, UI, start (the network lives in banner.js).
 *
 * Full names throughout: the build renames locals, and the shared object's properties (those
 * starting with "_") through esbuild's mangleProps, each to the short name mangle-cache.json
 * keeps for it (build.mjs).
 */
(function (window, document) {
  // Run once: a second copy of the tag on the same page does nothing.
  if (window.kelisim) return;

  // ---------------------------------------------------------------- config
  // Its keys, and those of each of its services (not their options), are written with a
  // leading "_" and shortened like the shared object's (build.mjs): every page view
  // downloads them. The server writes them short (dist/names.json).
  var config = __KELISIM_CONFIG__;
  var services = config._services;
  // Known trackers (zero-change auto-blocking), all from the server's catalog: each kind
  // with its category and the parts of its scripts' URLs, {kind: [category, [URL parts]]},
  // and the kinds Google's Consent Mode applies to. (Managed services come with the URL of
  // their script, "src", from the server.)
  var kinds = config._kinds;
  var consentModeKinds = config._consent_mode;
  var FIELDS = 'input,textarea,select'; // they get Metrica's privacy classes
  var BLOCKED = 'javascript/blocked'; // a type no browser runs (or fetches)
  // Google's Consent Mode is kept when a service it applies to is configured or its tag seen.
  var consentModeKept = services.some((service) => consentModeKinds.includes(service._kind));
  // The loader's internal interface, shared with banner.js and texts.js as window.kelisim._
  // (documented here, once):
  //   _config        this config (banner.js adds its own, in one language)
  //   _listeners     the functions given to kelisim.on('change', fn)
  //   _stored        the cookie's fields (storage below), which banner.js updates and stores
  //   _decided       whether a stored decision counts; banner.js sets it when one is made
  //   _accepted(key) whether a category or service is granted now
  //   _addScript(src) inserts one of our scripts, which auto-blocking never holds
  //   _apply(decision) makes the page match a decision {c: categories, s: services}
  //   _google        whether Google's Consent Mode is kept (a service or tag it applies to)
  //   _wanted        the layer asked for before banner.js arrived (0: none yet, only fetched)
  //   _held          the scripts held, each [element, consent key, own type]
  //   _kindOf(url)   the known tracker's kind a script URL is (undefined: none)
  //   _floatingButton(label) shows the button that re-opens the settings (on a site without
  //                  it, does nothing)
  //   _ui(layer)     set by banner.js: shows 'first' or 'settings', or does a 'reset'
  //   _texts(pack)   set by banner.js: takes another language's texts, from texts.js
  var shared = { _config: config, _listeners: [], _held: [] };

  var serviceOf = (key) => services.find((service) => service._id === key || service._kind === key) || {};

  // The consent key a known tracker waits for: its configured service, else its category.
  var keyOfKind = (kind) => serviceOf(kind)._id || kinds[kind][0];

  // ---------------------------------------------------------------- storage
  // Cookie "kelisim" is a query string (documented in README.md, written by banner.js once
  // the visitor decides): v=1&id=<uuid>&t=<decided, unix s>&x=<expires, unix s>
  // &p=<policy version>&b=<banner version>&a=<action>&g=<signal>&l=<language>
  // &c=<categories, |-separated>&s=<services, |-separated>
  // Split by hand, not by URLSearchParams, and no exception for a missing cookie: on this, the
  // path of every page view, either costs more than the rest of the loader's own code.
  var stored = {};
  var cookies = '';
  try {
    cookies = document.cookie;
    var cookie = cookies.match(/(?:^|;\s*)kelisim=([^;]*)/);
    if (cookie) stored = Object.fromEntries(cookie[1].split('&').map((field) => field.split('=').map(decodeURIComponent)));
  } catch { /* cookies unreadable (a sandboxed frame) or a mangled value: a first visit */ }
  shared._stored = stored;
  stored.c = stored.c ? stored.c.split('|') : [];
  stored.s = stored.s ? stored.s.split('|') : [];
  // A stored decision counts until it expires or the policy asks for consent again.
  shared._decided = stored.x > Date.now() / 1e3 && stored.p >= config._reconsent_from;
  var granted = shared._decided ? stored : { c: [], s: [] };

  var accepted = shared._accepted = (key) => key === 'necessary' || serviceOf(key)._category === 'necessary' ||
    granted.c.includes(key) || granted.s.includes(key);

  // ---------------------------------------------------------------- gating
  var loaded = {};
  // Each script is looked at once (and ours never): moved later (or released), it is not
  // held again.
  var seen = new WeakSet();
  // Metrica's session recording (Webvisor) is a choice of its own, "<key>.webvisor": its tag
  // waits for it too, so that its queued init calls can be changed first (release).
  var metricaKey = keyOfKind('yandex_metrica');

  function gtag() { (window.dataLayer = window.dataLayer || []).push(arguments); }

  // Google Consent Mode v2: the four signals follow the analytics and marketing choices.
  function consentMode(command) {
    var analytics = accepted('analytics') ? 'granted' : 'denied';
    var marketing = accepted('marketing') ? 'granted' : 'denied';
    gtag('consent', command, {
      analytics_storage: analytics, ad_storage: marketing, ad_user_data: marketing, ad_personalization: marketing
    });
  }

  // Consent Mode's defaults, first in Google's queue: before anything a page queued for a tag
  // that has not run yet (GTM's snippet queues its start before it inserts gtm.js).
  // A Google tag that already ran (one pasted before this loader) has taken over push() and
  // processed what is queued: nothing is moved then, or it would process it all again.
  function keepConsentMode() {
    var queued = window.dataLayer?.push === [].push ? window.dataLayer.splice(0) : [];
    consentModeKept = shared._google = 1;
    consentMode('default');
    window.dataLayer.push(...queued);
  }

  // A script of ours (banner, texts, a managed service), never held.
  shared._addScript = (src) => {
    var script = document.createElement('script');
    script.src = src;
    seen.add(script);
    return document.head.appendChild(script);
  };

  var kindOf = shared._kindOf = (url) =>
    Object.keys(kinds).find((kind) => kinds[kind][1].some((part) => url.includes(part)));

  // The consent key a script URL waits for: a configured service's script, else a known
  // tracker's. (undefined: not a tracker.)
  function keyOf(url) {
    var kind = kindOf(url);
    // A tag the site did not configure gets Consent Mode all the same, if it applies to it.
    if (!consentModeKept && consentModeKinds.includes(kind)) keepConsentMode();
    var configured = services.find((service) => service._src && url.includes(service._src));
    return configured ? configured._id : kind && keyOfKind(kind);
  }

  // Hold a script: a non-JavaScript type keeps the browser from running (or fetching) it.
  // src: the URL it will load (an SVG <script> has none).
  function inspect(element, src = element.src || '') {
    // localName, not tagName, which builds an upper-case string on every insertion.
    if (element.localName !== 'script' || seen.has(element)) return;
    seen.add(element);
    var key = element.dataset.consent;
    var type = element.type;
    var marked = key && /^text\/plain$/i.test(type);
    var own = keyOf(src);
    var managed = serviceOf(own);
    if (managed._managed && src.startsWith(managed._src)) {
      // A managed service's script that the page carries too, pasted or marked, runs once,
      // so that its ID counts each page view once: the page's own copy, seen while the page
      // loads, before the widget would load it (loadServices), stands for it; a copy seen
      // later never runs.
      if (loaded[own]) {
        element.type = BLOCKED;
        return;
      }
      loaded[own] = 1;
    }
    if (!marked) {
      // Any type: a held script gets its own type back when released.
      key = own;
      // Not a tracker, or granted (Metrica with its Webvisor choice too): runs as it is.
      if (!key || accepted(key) && (key !== metricaKey || accepted(metricaKey + '.webvisor'))) return;
    }
    shared._held.push([element, key, !marked && type]);
    element.type = BLOCKED;
    // A granted marked script, or Metrica waiting for its queued ym() init calls: released
    // once the page's current script is done.
    if (accepted(key)) setTimeout(release);
  }

  function release() {
    // Metrica's session recording is its own choice: switch it off in queued init calls.
    if (window.ym && !accepted(metricaKey + '.webvisor')) {
      (window.ym.a || []).forEach((call) => {
        if (call[1] === 'init' && call[2]) call[2].webvisor = false;
      });
    }
    shared._held = shared._held.filter(([element, key, type]) => {
      if (!accepted(key)) return true;
      element.removeAttribute('type');
      if (type) element.type = type;
      // The same element inserted again, where it was (or into <head>), runs: with its
      // handlers (onload) and nonce, and its async flag as the browser set it.
      var parent = element.parentNode || document.head;
      var next = element.nextSibling;
      element.remove();
      parent.insertBefore(element, next);
    });
  }

  // A managed service: its vendor's first calls, as in the vendor's own snippet, then its
  // script. MANAGED holds the first calls of just the kinds this site manages: the server
  // builds them into each site's loader from src/managed/<kind>.js.
  var MANAGED = __KELISIM_MANAGED__;

  // The managed services granted (or in Consent Mode "advanced", Google's definition: the tag
  // loads at once, with every signal denied), once the page has been parsed: by then a copy
  // the page carries itself has been seen, and runs instead (inspect).
  function loadServices() {
    services.forEach((service) => {
      var options = service._options;
      if (service._managed && !loaded[service._id] && (accepted(service._id) || options.consent_mode === 'advanced')) {
        loaded[service._id] = 1;
        MANAGED[service._kind]?.(window, options, !!options.webvisor && accepted(service._id + '.webvisor'), gtag);
        shared._addScript(service._src);
      }
    });
  }

  // Make the page match the decision: vendors' opt-out flags, Consent Mode, scripts.
  shared._apply = (decision) => {
    granted = decision || granted;
    services.forEach((service) => {
      var options = service._options;
      var refused = !accepted(service._id);
      if (options.measurement_id) window['ga-disable-' + options.measurement_id] = refused;
      if (options.counter_id) window['disableYaCounter' + options.counter_id] = refused;
    });
    if (document.readyState !== 'loading') loadServices();
    if (consentModeKept && (decision || shared._decided)) consentMode('update');
    release();
  };

  // ---------------------------------------------------------------- UI
  // The visitor's language: <html lang>, then each browser language, then the site's default.
  var language = () => [document.documentElement.lang, ...navigator.languages]
    .map((tag) => tag.slice(0, 2).toLowerCase().replace('kz', 'kk'))
    .find((code) => config._languages.includes(code)) || config._default_language;

  // The UI lives in banner.js (texts in the visitor's language), which registers
  // shared._ui(layer) and shows the layer wanted meanwhile, if any; layer "first" records a
  // GPC or DNT signal instead of showing the banner. It is asked for once: show(0) only
  // starts the download.
  function show(layer) {
    try {
      if (shared._ui) return shared._ui(layer);
      if (shared._wanted == null) shared._addScript(config._files + 'banner.' + language() + '.js');
      shared._wanted = layer;
    } catch { /* never throw into the page */ }
  }

  // The floating button that re-opens the settings, only in the loaders of the sites that
  // show it: the server puts its function (src/parts/floating_button.js) here, and one that
  // does nothing in the other sites' loaders.
  shared._floatingButton = __KELISIM_FLOATING_BUTTON__;

  // ---------------------------------------------------------------- start
  window.kelisim = {
    _: shared,
    open: () => show('settings'),
    accepted: accepted,
    on: (name, listener) => {
      if (name === 'change') shared._listeners.push(listener);
    },
    reset: () => show('reset')
  };

  // A node about to be inserted: a script, or a fragment's scripts, held if need be.
  function check(node) {
    try {
      // 11: a DocumentFragment (a shadow root too).
      if (node.nodeType === 11) node.querySelectorAll('script').forEach((script) => inspect(script));
      else inspect(node);
    } catch { /* never block the host */ }
  }

  // Form fields get Metrica's privacy classes so that session recording never captures typing.
  function mark(field) { field.classList.add('ym-disable-keys', 'ym-hide-content'); }

  try {
    if (consentModeKept) keepConsentMode();
    // Scripts inserted by other scripts, by any DOM method (into a shadow root, a fragment,
    // too, or at a Range), and those inside a fragment (a template's clone,
    // createContextualFragment) inserted at once: checked before the browser sees them. Other
    // nodes' scripts were checked when they went into them. This runs on every insertion a
    // framework makes, so it stays cheap: bench/widget.py times it.
    [
      [Node.prototype, 'insertBefore appendChild replaceChild'],
      [Element.prototype, 'append prepend before after replaceWith replaceChildren insertAdjacentElement'],
      [DocumentFragment.prototype, 'append prepend replaceChildren'],
      [Range.prototype, 'insertNode']
    ].forEach(([prototype, methods]) => methods.split(' ').forEach((method) => {
      var original = prototype[method];
      prototype[method] = function () {
        for (var i = 0; i < arguments.length; i++) check(arguments[i]);
        return original.apply(this, arguments);
      };
    }));
    // A src given to a script that is in the page already, empty, makes the browser fetch it
    // there and then (by the property or by setAttribute): looked at again, with that URL,
    // just before. (A script that has run, with a src or a text, ignores a new src.)
    var srcProperty = Object.getOwnPropertyDescriptor(HTMLScriptElement.prototype, 'src');
    Object.defineProperty(HTMLScriptElement.prototype, 'src', {
      ...srcProperty,
      set(src) {
        if (this.isConnected && !this.src && !this.text) {
          seen.delete(this);
          inspect(this, src + '');
        }
        srcProperty.set.call(this, src);
      }
    });
    var setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      // On a script, src is set by its property: what it does, and looked at as above.
      if (this instanceof HTMLScriptElement && /^src$/i.test(name)) this.src = value;
      else setAttribute.apply(this, arguments);
    };
    // Markup written by document.write (Google's older ga.js snippet writes its tag so): the
    // parser starts a script it writes before any observer sees it, so a tracker's tag is
    // marked (2) on its way in, held as such and released when its key is granted.
    var write = document.write;
    document.write = (...markup) => write.apply(document, markup.map((html) => (html + '').replace(/<script\b([^>]*)>/gi, (tag, attributes) => {
      var key = keyOf(attributes);
      return key && !accepted(key) ? '<script type="text/plain" data-consent="' + key + '"' + attributes + '>' : tag;
    })));
    // Scripts written in the HTML: the observer runs before the parser runs each one. While
    // the page loads, the parser reports every element it adds, each by itself, so their
    // subtrees need no search (on a page of 4500 elements the searches were a sixth of the
    // observer's time). After that, a subtree added at once is searched; start() marks the
    // fields in those that scripts added while the page loaded.
    new MutationObserver((records) => {
      var loading = document.readyState === 'loading';
      for (var record of records) {
        // Indexed: iterating a NodeList with for-of cost a third of the observer's time.
        for (var added = record.addedNodes, i = 0; i < added.length; i++) {
          var node = added[i];
          if (node.matches?.(FIELDS)) mark(node);
          else if (!loading && node.firstElementChild) node.querySelectorAll(FIELDS).forEach(mark);
          else inspect(node);
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
    // Scripts before this one already started; only marked ones can still be held.
    document.querySelectorAll('script[data-consent]').forEach((script) => inspect(script));
    shared._apply();
    // Undecided: banner.js downloads while the page loads, not one round trip after it. So
    // it does when the cookie kelisim_unsent says a decision waits to be sent once more
    // (banner.js sends it).
    if (!shared._decided || /(?:^|;\s*)kelisim_unsent=/.test(cookies)) show(0);
    var start = () => {
      try {
        loadServices();
        // Fields in subtrees that scripts added while the page loaded, or that were there
        // before this script: one search of the whole document.
        document.querySelectorAll(FIELDS).forEach(mark);
        // Any element with data-kelisim-open re-opens the settings.
        document.addEventListener('click', (event) => {
          if (event.target.closest?.('[data-kelisim-open]')) {
            event.preventDefault();
            show('settings');
          }
        });
        // Undecided: the banner, or an automatic reject for a GPC or DNT signal.
        if (shared._decided) shared._floatingButton();
        else show('first');
      } catch { /* never throw into the page */ }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  } catch { /* never throw into the host page */ }
})(window, document);
