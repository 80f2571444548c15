/*
 * Kelisim loader (GET /w/<site_key>.js): the small script every page view downloads.
 * Placed first in <head>, it keeps trackers from running until the visitor agrees, reads the
 * decision from the first-party cookie and loads banner.js (the UI, decisions and events) only
 * when something must be shown, so a returning visitor downloads nothing else.
 * Sections, in order: config, storage, gating, UI, start (the network lives in banner.js).
 *
 * Full names throughout: the build renames locals, and the shared object's properties (those
 * starting with "_") through esbuild's mangleProps, with one cache for all files (build.mjs).
 */
(function (window, document) {
  // Run once: a second copy of the tag on the same page does nothing.
  if (window.kelisim) return;

  // ---------------------------------------------------------------- config
  var config = __KELISIM_CONFIG__;
  var SERVICES = config.services;
  // Known trackers (zero-change auto-blocking), from the server's catalog: each kind, with
  // its category and the parts of its scripts' URLs, {kind: [category, [URL parts]]}; and
  // the kinds Google's Consent Mode applies to. (Managed services come with the URL of their
  // script, "src", from the server.)
  var KINDS = config.kinds;
  var CONSENT_MODE = config.consent_mode;
  var FIELDS = 'input,textarea,select'; // they get Metrica's privacy classes
  // Google Consent Mode is kept when a service it applies to is configured or its tag is seen.
  var GOOGLE = SERVICES.some((service) => CONSENT_MODE.includes(service.kind));
  // The loader's internal interface, shared with banner.js and texts.js as window.kelisim._
  // (documented here, once):
  //   _config        this config (banner.js adds its own, in one language)
  //   _listeners     the functions given to kelisim.on('change', fn)
  //   _stored        the cookie's fields (storage below), which banner.js updates and stores
  //   _decided       whether a stored decision counts; banner.js sets it when one is made
  //   _accepted(key) whether a category or service is granted now
  //   _addScript(src) inserts one of our scripts, which auto-blocking never holds
  //   _apply(decision) makes the page match a decision {c: categories, s: services}
  //   _google        whether Google's Consent Mode is kept (a Google service or tag)
  //   _wanted        the layer asked for before banner.js arrived (0: none yet, only fetched)
  //   _held          the scripts held, each [element, consent key, own type]
  //   _kindOf(url)   the known tracker's kind a script URL is (undefined: none)
  //   _floatingButton(label) shows the button that re-opens the settings
  //   _ui(layer)     set by banner.js: shows 'first' or 'settings', or does a 'reset'
  //   _texts(pack)   set by banner.js: takes another language's texts, from texts.js
  var K = { _config: config, _listeners: [], _held: [] };

  var service = (key) => SERVICES.find((s) => s.id === key || s.kind === key) || {};

  // The consent key a known tracker waits for: its configured service, else its kind's category.
  var keyOfKind = (kind) => service(kind).id || KINDS[kind][0];

  // ---------------------------------------------------------------- storage
  // Cookie "kelisim" is a query string (documented in README.md, written by banner.js):
  // v=1&id=<uuid>&t=<decided, unix s>&x=<expires, unix s>&p=<policy version>&b=<banner version>
  // &a=<action>&g=<signal>&l=<language>&c=<categories, |-separated>&s=<services, |-separated>
  // Split by hand, not by URLSearchParams, and no exception for a missing cookie: on this, the
  // path of every page view, either costs more than the rest of the loader's own code.
  var stored = {};
  var cookies = '';
  try {
    cookies = document.cookie;
    var cookie = cookies.match(/(?:^|;\s*)kelisim=([^;]*)/);
    if (cookie) stored = Object.fromEntries(cookie[1].split('&').map((field) => field.split('=').map(decodeURIComponent)));
  } catch (e) { /* cookies unreadable (a sandboxed frame) or a mangled value: a first visit */ }
  K._stored = stored;
  stored.c = stored.c ? stored.c.split('|') : [];
  stored.s = stored.s ? stored.s.split('|') : [];
  // A stored decision counts until it expires or the policy asks for consent again.
  K._decided = stored.x > Date.now() / 1e3 && stored.p >= config.reconsent_from;
  var granted = K._decided ? stored : { c: [], s: [] };

  var accepted = K._accepted = (key) => key === 'necessary' || service(key).category === 'necessary' ||
    granted.c.includes(key) || granted.s.includes(key);

  // ---------------------------------------------------------------- gating
  var loaded = {};
  // Each script is looked at once (and ours never): moved later (or released), it is not
  // held again.
  var seen = new WeakSet();
  var metrica = keyOfKind('yandex_metrica');

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
  function google() {
    var queued = window.dataLayer?.push === [].push ? window.dataLayer.splice(0) : [];
    GOOGLE = K._google = 1;
    consentMode('default');
    window.dataLayer.push(...queued);
  }

  // A script of ours (banner, texts, a managed service), never held.
  K._addScript = (src) => {
    var script = document.createElement('script');
    script.src = src;
    seen.add(script);
    return document.head.appendChild(script);
  };

  var kindOf = K._kindOf = (url) =>
    Object.keys(KINDS).find((kind) => KINDS[kind][1].some((part) => url.includes(part)));

  // The consent key a script URL waits for: a configured service's script, else a known
  // tracker's. (undefined: not a tracker.)
  function keyOf(url) {
    var kind = kindOf(url);
    // A Google tag the site did not configure gets Consent Mode all the same.
    if (!GOOGLE && CONSENT_MODE.includes(kind)) google();
    var configured = SERVICES.find((s) => s.src && url.includes(s.src));
    return configured ? configured.id : kind && keyOfKind(kind);
  }

  // Hold a script: a non-JavaScript type keeps the browser from running (or fetching) it.
  // src: the URL it will load (an SVG <script> has none).
  function inspect(el, src = el.src || '') {
    // localName, not tagName, which builds an upper-case string on every insertion.
    if (el.localName !== 'script' || seen.has(el)) return;
    seen.add(el);
    var key = el.dataset.consent;
    var type = el.type;
    var marked = key && /^text\/plain$/i.test(type);
    if (!marked) {
      // Any type: a held script gets its own type back when released.
      key = keyOf(src);
      var managed = service(key);
      if (managed.managed && src.startsWith(managed.src)) {
        // A managed service's script that the page carries too runs once, so that its ID
        // counts each page view once: the page's own copy, seen while the page loads, before
        // the widget would load it (loadServices), stands for it; a copy seen later never runs.
        if (loaded[key]) return (el.type = 'javascript/blocked');
        loaded[key] = 1;
      }
      // Granted (but for Metrica without Webvisor consent): runs as it is.
      if (!key || accepted(key) && (key !== metrica || accepted(metrica + '.webvisor'))) return;
    }
    K._held.push([el, key, !marked && type]);
    el.type = 'javascript/blocked';
    // A granted marked script, or Metrica waiting for its queued ym() init calls: released
    // once the page's current script is done.
    if (accepted(key)) setTimeout(release);
  }

  function release() {
    // Metrica's session recording is its own choice: switch it off in queued init calls.
    if (window.ym && !accepted(metrica + '.webvisor')) {
      (window.ym.a || []).forEach((args) => { if (args[1] === 'init' && args[2]) args[2].webvisor = false; });
    }
    K._held = K._held.filter(([el, key, type]) => {
      if (!accepted(key)) return true;
      el.removeAttribute('type');
      if (type) el.type = type;
      // The same element inserted again, where it was (or into <head>), runs: with its
      // handlers (onload) and nonce, and its async flag as the browser set it.
      var parent = el.parentNode || document.head;
      var next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
  }

  // A managed service: its vendor's first calls, as in the vendor's own snippet, then its
  // script. MANAGED holds the first calls of just the kinds this site manages: the server
  // builds them into each site's loader from src/managed/<kind>.js.
  var MANAGED = __KELISIM_MANAGED__;
  function loadManaged(s, webvisor) {
    if (MANAGED[s.kind]) MANAGED[s.kind](window, s.options, webvisor, gtag);
    K._addScript(s.src);
  }

  // The managed services granted (or in Consent Mode "advanced", Google's definition: the tag
  // loads at once, with every signal denied), once the page has been parsed: by then a copy
  // the page carries itself has been seen, and runs instead (inspect).
  function loadServices() {
    SERVICES.forEach((s) => {
      if (s.managed && !loaded[s.id] && (accepted(s.id) || s.options.consent_mode === 'advanced')) {
        loaded[s.id] = 1;
        loadManaged(s, !!s.options.webvisor && accepted(s.id + '.webvisor'));
      }
    });
  }

  // Make the page match the decision: vendors' opt-out flags, Consent Mode, scripts.
  K._apply = (decision) => {
    granted = decision || granted;
    SERVICES.forEach((s) => {
      var options = s.options;
      var off = !accepted(s.id);
      if (options.measurement_id) window['ga-disable-' + options.measurement_id] = off;
      if (options.counter_id) window['disableYaCounter' + options.counter_id] = off;
    });
    if (document.readyState !== 'loading') loadServices();
    if (GOOGLE && (decision || K._decided)) consentMode('update');
    release();
  };

  // ---------------------------------------------------------------- UI
  // The visitor's language: <html lang>, then each browser language, then the site's default.
  var language = () => [document.documentElement.lang, ...navigator.languages]
    .map((tag) => tag.slice(0, 2).toLowerCase().replace('kz', 'kk'))
    .find((code) => config.languages.includes(code)) || config.default_language;

  // The UI lives in banner.js (texts in the visitor's language), which registers K._ui(layer)
  // and shows the layer wanted meanwhile, if any; layer "first" records a GPC or DNT signal
  // instead of showing the banner. It is asked for once: show(0) only starts the download.
  function show(layer) {
    try {
      if (K._ui) return K._ui(layer);
      if (K._wanted == null) K._addScript(config.banner + '&l=' + language());
      K._wanted = layer;
    } catch (e) { /* never throw into the page */ }
  }

  // The floating button that re-opens the settings, made when first needed; banner.js passes
  // the site's own label, later pages show "Cookie", a word visitors know in kk, ru and en.
  var floating; // <kelisim-fab>
  K._floatingButton = (label) => {
    if (!config.floating_button) return;
    if (!floating) {
      floating = document.createElement('kelisim-fab');
      // Styled through the CSSOM, which a CSP without 'unsafe-inline' allows; inline
      // !important beats anything the page's CSS says, and the button sits in a shadow root.
      floating.style.cssText = 'all:initial!important;position:fixed!important;bottom:9px!important;left:9px!important;z-index:2147483646!important';
      var button = floating.attachShadow({ mode: 'open' }).appendChild(document.createElement('button'));
      button.style.cssText = 'font:13px system-ui;padding:8px;background:#222;color:#fff';
      button.onclick = () => show('settings');
      // In <html>, not <body>: a transform or filter on <body> would pin it to the body.
      document.documentElement.appendChild(floating);
    }
    floating.shadowRoot.firstChild.textContent = label || 'Cookie';
  };

  // ---------------------------------------------------------------- start
  window.kelisim = {
    _: K,
    open: () => show('settings'),
    accepted: K._accepted,
    on: (name, fn) => name === 'change' && K._listeners.push(fn),
    reset: () => show('reset')
  };

  // A node about to be inserted: a script, or a fragment's scripts, held if need be.
  function check(node) {
    try {
      node.nodeType == 11 ? node.querySelectorAll('script').forEach((script) => inspect(script)) : inspect(node);
    } catch (e) { /* never block the host */ }
  }

  // Form fields get Metrica's privacy classes so that session recording never captures typing.
  function mark(el) { el.classList.add('ym-disable-keys', 'ym-hide-content'); }

  try {
    if (GOOGLE) google();
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
    var property = Object.getOwnPropertyDescriptor(HTMLScriptElement.prototype, 'src');
    Object.defineProperty(HTMLScriptElement.prototype, 'src', {
      ...property,
      set(src) {
        if (this.isConnected && !this.src && !this.text) {
          seen.delete(this);
          inspect(this, src + '');
        }
        property.set.call(this, src);
      }
    });
    var setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      // On a script, src set by its property: what it does, and looked at as above.
      this instanceof HTMLScriptElement && /^src$/i.test(name) ? this.src = value : setAttribute.apply(this, arguments);
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
    K._apply();
    // Undecided: banner.js downloads while the page loads, not one round trip after it. So
    // it does when the cookie kelisim_unsent says a decision waits to be sent once more
    // (banner.js sends it).
    K._decided && !/(?:^|;\s*)kelisim_unsent=/.test(cookies) || show(0);
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
        K._decided ? K._floatingButton() : show('first');
      } catch (e) { /* never throw into the page */ }
    };
    document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();
  } catch (e) { /* never throw into the host page */ }
})(window, document);
