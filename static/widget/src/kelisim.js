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
  // Known trackers, embeds and pixels (zero-change auto-blocking), all from the server's
  // catalog: each kind with its category and the parts of the URLs of its scripts, frames
  // and images, and for an embed the globals its inline calls need,
  // {kind: [category, [script parts], [frame parts], [image parts], [globals]]} (trailing
  // empty lists left out, but an embed's: the fifth entry tells embeds; a sixth, 1, says
  // its script has no placeholder: its frames or players stand for it), and the kinds
  // Google's Consent Mode applies to. (Managed services come with the URL of their script,
  // "src", from the server.)
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
  //   _held          what is held, each {_element, _key (the consent key), _kind (the known
  //                  kind, if any), and by what: _type (a script's own type), _url (the src
  //                  of a frame or image), _call ([global, arguments]: a call queued for an
  //                  embed's held script; _element is the script that made it)}; embed.js
  //                  adds _placeholder, and holds players a held script API would build
  //                  (_player: their options; _element: their target)
  //   _kindOf(url, sort) the known kind of a script's (sort 1), frame's (2) or image's (3) URL
  //   _keyOfKind(kind) the consent key a known kind waits for
  //   _release(held) runs a held script
  //   _once          the keys of embeds loaded for this page view by their scripts ("load
  //                  this one"): the frames those scripts insert are not held again
  //   _sources       the src properties of frames, images and scripts as the browser has them
  //   _box(held, inside) reserves an embed's placeholder box, if it has one (hold)
  //   _embed(held)   set by embed.js: releases a held frame, image or embed's script or
  //                  call if granted, else shows its placeholder (if it has one)
  //   _floatingButton(label) shows the button that re-opens the settings (on a site without
  //                  it, does nothing)
  //   _ui(layer)     set by banner.js: shows 'first' or 'settings', does a 'reset', or
  //                  grants one service, 'allow:<key>' (a placeholder's "always allow")
  //   _show(layer)   _ui's layer, loading banner.js first if need be
  //   _texts(pack)   set by banner.js: takes another language's texts, from texts.js
  var shared = { _config: config, _listeners: [], _held: [], _once: [] };

  var serviceOf = (key) => services.find((service) => service._id === key || service._kind === key) || {};

  // An embed's kind: its row has the globals its inline calls need.
  var isEmbed = (kind) => kinds[kind]?.[4];

  // The consent key a known kind waits for: its configured service, else for an embed its
  // kind (which a placeholder's "always allow" grants) and for a tracker its category.
  var keyOfKind = shared._keyOfKind = (kind) => serviceOf(kind)._id || (isEmbed(kind) ? kind : kinds[kind][0]);

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

  // A key is a category, a service's id, or an embed's kind, granted by itself or, when
  // the site has no service for it, by its category.
  var accepted = shared._accepted = (key) => {
    var service = serviceOf(key);
    return key === 'necessary' || service._category === 'necessary' || granted.c.includes(key) ||
      granted.s.includes(service._id || key) || !service._id && !!isEmbed(key) && granted.c.includes(kinds[key][0]);
  };

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

  // What each element's URL is looked up by: the index of its parts in a kind's row.
  var SORTS = { script: 1, iframe: 2, img: 3 };

  // The known kind a URL of a script (sort 1), frame (2) or image (3) is (undefined: none).
  // Looked up in a list of [part, kind] per sort, made once: a gallery sets src on hundreds
  // of images, each looked up here.
  var parts = [, [], [], []];
  for (var kind in kinds) for (var sort = 1; sort < 4; sort++) kinds[kind][sort]?.forEach((part) => parts[sort].push([part, kind]));
  var kindOf = shared._kindOf = (url, sort) => parts[sort].find(([part]) => url.includes(part))?.[1];

  // The consent key a URL waits for: a configured service's script, else a known kind's.
  // (undefined: nothing known.)
  // kind: the URL's, if the caller has it already (every insertion of a script looks it up).
  function keyOf(url, sort = 1, kind = kindOf(url, sort)) {
    // A tag the site did not configure gets Consent Mode all the same, if it applies to it.
    if (!consentModeKept && consentModeKinds.includes(kind)) keepConsentMode();
    var configured = sort < 2 && services.find((service) => service._src && url.includes(service._src));
    return configured ? configured._id : kind && keyOfKind(kind);
  }

  // The src of frames and images as the browser sets it, {iframe, img, script}: what
  // releases them (embed.js).
  var sources = shared._sources = {};

  // Hold something. A tracker's script waits here for its key (releaseGranted). The rest,
  // frames, images, and an embed's scripts and calls, go to embed.js (fetched for the first
  // of them): a placeholder, or released when granted. An embed script's globals queue the
  // page's calls until it runs (2GIS's `new DGWidgetLoader({...})`, in an inline script
  // after it). Returns 1: held.
  function hold(held) {
    var kind = held._kind;
    shared._held.push(held);
    box(held);
    isEmbed(kind)?.forEach((name) => {
      if (!window[name]) {
        (window[name] = function (...args) {
          hold({ _element: document.currentScript, _key: held._key, _kind: kind, _call: [name, args] });
        })._queue = 1;
      }
    });
    if (!byLoader(held)) {
      if (shared._embed) shared._embed(held);
      else if (!shared._embed_asked) {
        shared._embed_asked = 1;
        shared._addScript(config._files + 'embed.' + language() + '.js');
      }
    }
    return 1;
  }

  // An embed's place, kept from the first paint on, so that nothing below it moves when
  // embed.js (fetched meanwhile) puts the placeholder there: a box before the embed's
  // script, or before the script that called it (2GIS's), or in a player's target
  // (inside), as high as the code says (Yandex's URL &height=, 2GIS's {height}, a player's
  // options), else 320 px (a placeholder's text on a phone); embed.js gives it its width.
  // None for a frame or an image (their own boxes), for a script whose frames or players
  // stand for it, or for a script not in the page's body yet (embed.js asks again once it
  // is).
  // Returns the box, if any.
  var box = shared._box = (held, inside) => {
    var element = held._element;
    var row = kinds[held._kind];
    if (inside || isEmbed(held._kind) && held._url == null && (held._call || !row[4][0] && !row[5]) && document.body?.contains(element)) {
      var host = held._placeholder = document.createElement('kelisim-embed');
      var height = (held._call?.[1][0] || held._player || {}).height ?? element.src?.match(/[?&]height=(\d+)/)?.[1];
      host.style.cssText = 'display:block;margin-bottom:8px;height:' + (parseInt(height) || 320) + 'px';
      inside ? element.append(host) : element.before(host);
      return host;
    }
  };

  // What the loader releases itself: trackers' scripts.
  var byLoader = (held) => held._type != null && !isEmbed(held._kind);

  // Hold a script, a frame or an image. A script: a non-JavaScript type keeps the browser
  // from running (or fetching) it. A frame or an image: its src is taken away (and kept),
  // and a marked one (data-src, data-consent) never had one. src: the URL it will load (an
  // SVG <script> has none).
  // Returns whether it was held.
  function inspect(element, src) {
    // localName, not tagName, which builds an upper-case string on every insertion.
    var sort = SORTS[element.localName];
    if (!sort || seen.has(element)) return;
    seen.add(element);
    // (An SVG <script> has no src.)
    return sort > 1 ? inspectSource(element, sort, src) : inspectScript(element, src ?? (element.src || ''));
  }

  // A frame or an image: held if marked (data-src and data-consent: it never had a src), or
  // if its src is a known kind's, until granted.
  function inspectSource(element, sort, src) {
    var key = element.getAttribute('data-consent');
    var marked = key && element.getAttribute('data-src');
    src = marked || src || element.getAttribute('src') || '';
    var kind = kindOf(src, sort);
    key = marked ? key : keyOf(src, sort, kind);
    if (!key) return;
    if (accepted(key) || shared._once.includes(key)) {
      if (marked) sources[element.localName].set.call(element, src);
      return;
    }
    // A frame shows a document of ours instead (srcdoc wins over src, and stops the load of
    // a frame the parser inserted), where embed.js puts the placeholder. An image the parser
    // inserted loses its src; one given a new src keeps the one it has.
    if (sort < 3) element.srcdoc = '<!doctype html>';
    else if (element.getAttribute('src') === src) element.removeAttribute('src');
    return hold({ _element: element, _key: key, _kind: kind, _url: src });
  }

  function inspectScript(element, src) {
    var key = element.dataset.consent;
    var type = element.type;
    var marked = key && /^text\/plain$/i.test(type);
    var kind = kindOf(src, 1);
    var own = keyOf(src, 1, kind);
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
    element.type = BLOCKED;
    hold({ _element: element, _key: key, _kind: kind, _type: !marked && type });
    // A granted marked script, or Metrica waiting for its queued ym() init calls: released
    // once the page's current script is done.
    if (accepted(key)) setTimeout(releaseGranted);
  }

  // Release what is held and granted now.
  function releaseGranted() {
    // Metrica's session recording is its own choice: switch it off in queued init calls.
    if (window.ym && !accepted(metricaKey + '.webvisor')) {
      (window.ym.a || []).forEach((call) => {
        if (call[1] === 'init' && call[2]) call[2].webvisor = false;
      });
    }
    shared._held.filter((held) => accepted(held._key)).forEach((held) => (byLoader(held) ? release : shared._embed)?.(held));
  }

  // A held script runs (embed.js releases an embed's so too).
  var release = shared._release = (held) => {
    var element = held._element;
    shared._held = shared._held.filter((other) => other !== held);
    element.removeAttribute('type');
    if (held._type) element.type = held._type;
    // The same element inserted again, where it was (or into <head>), runs: with its
    // handlers (onload) and nonce, and its async flag as the browser set it.
    var parent = element.parentNode || document.head;
    var next = element.nextSibling;
    element.remove();
    parent.insertBefore(element, next);
  };

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
    releaseGranted();
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
  var show = shared._show = (layer) => {
    try {
      if (shared._ui) return shared._ui(layer);
      if (shared._wanted == null) shared._addScript(config._files + 'banner.' + language() + '.js');
      shared._wanted = layer;
    } catch { /* never throw into the page */ }
  };

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
      if (node.nodeType === 11) node.querySelectorAll('script,iframe,img').forEach((element) => inspect(element));
      else inspect(node);
    } catch { /* never block the host */ }
  }

  // Form fields get Metrica's privacy classes so that session recording never captures typing.
  function mark(field) { field.classList.add('ym-disable-keys', 'ym-hide-content'); }

  var visit = (element) => (element.matches(FIELDS) ? mark(element) : inspect(element));

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
    // just before. (A script that has run, with a src or a text, ignores a new src.) A src
    // given to a frame or an image, in the page or not (new Image().src = ...), is looked
    // at each time: a known one is held (kept in the held record) instead of set.
    [[HTMLScriptElement, 'script'], [HTMLIFrameElement, 'iframe'], [HTMLImageElement, 'img']].forEach(([type, name]) => {
      var property = sources[name] = Object.getOwnPropertyDescriptor(type.prototype, 'src');
      Object.defineProperty(type.prototype, 'src', {
        ...property,
        set(src) {
          // A frame's or an image's URL alone decides: most are no known kind's, and are set
          // at once (each DOM call here costs a gallery about 2 us an image).
          if (name === 'script' ? this.isConnected && !this.src && !this.text : kindOf(src += '', SORTS[name])) {
            seen.delete(this);
            // A held script is kept from running by its type; a frame or image by no src.
            if (inspect(this, src + '') && name !== 'script') return;
          }
          property.set.call(this, src);
        }
      });
    });
    var setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      // A src is set by its property: what it does, and looked at as above.
      if (/^src$/i.test(name) && sources[this.localName] && this instanceof HTMLElement) this.src = value;
      else setAttribute.apply(this, arguments);
    };
    // Markup that goes into the page by document.write (Google's older ga.js snippet writes
    // its tag so, and LiveInternet its counter's image), innerHTML, outerHTML or
    // insertAdjacentHTML (a lightbox's player): the parser starts a script and a frame, and
    // fetches an image, before any observer sees it, so a known tag is marked (2) on its way
    // in, held as such and released when its key is granted. (Scripts in markup set by
    // innerHTML never run: left as they are.)
    var marked = (html, tags) => (html + '').replace(RegExp('<(' + tags + ')\\b([^>]*)>', 'gi'), (tag, name, attributes) => {
      var sort = SORTS[name.toLowerCase()];
      var key = keyOf(attributes, sort);
      // (A frame or an image without a src of its own, marked already, is left as it is.)
      return !key || accepted(key) ? tag : sort < 2 ? '<script type="text/plain" data-consent="' + key + '"' + attributes + '>'
        : /\ssrc=/i.test(attributes) ? '<' + name + ' data-consent="' + key + '"' + attributes.replace(/(\s)src=/i, '$1data-src=') + '>' : tag;
    });
    var write = document.write;
    document.write = (...markup) => write.apply(document, markup.map((html) => marked(html, 'script|iframe|img')));
    ['innerHTML', 'outerHTML'].forEach((name) => {
      var property = Object.getOwnPropertyDescriptor(Element.prototype, name);
      Object.defineProperty(Element.prototype, name, {
        ...property,
        set(html) { property.set.call(this, marked(html, 'iframe|img')); }
      });
    });
    var insertAdjacentHTML = Element.prototype.insertAdjacentHTML;
    Element.prototype.insertAdjacentHTML = function (where, html) {
      insertAdjacentHTML.call(this, where, marked(html, 'iframe|img'));
    };
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
          // Frames and images in markup set by innerHTML too (a lightbox's player).
          else if (!loading && node.firstElementChild) node.querySelectorAll(FIELDS + ',iframe,img').forEach(visit);
          else inspect(node);
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
    // Scripts before this one already started; only marked ones can still be held.
    document.querySelectorAll('[data-consent]').forEach((element) => inspect(element));
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
