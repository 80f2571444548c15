/*
 * Kelisim loader (GET /w/<site_key>.js): the small script every page view downloads.
 * Placed first in <head>, it keeps trackers from running until the visitor agrees, reads the
 * decision from the first-party cookie and loads banner.js (the UI, decisions and events) only
 * when something must be shown, so a returning visitor downloads nothing else.
 * Sections, in order: config, storage, gating, UI, start (the network lives in banner.js).
 */
(function (w, d) {
  // Run once: a second copy of the tag on the same page does nothing.
  if (w.kelisim) return;

  // ---------------------------------------------------------------- config
  var C = __KELISIM_CONFIG__;
  var SERVICES = C.services;
  // Managed services: where the widget loads each vendor's script from (plus the id).
  var VENDOR = {
    yandex_metrica: 'mc.yandex.ru/metrika/tag.js?id=',
    google_tag_manager: 'www.googletagmanager.com/gtm.js?id=',
    google_analytics: 'www.googletagmanager.com/gtag/js?id=',
    meta_pixel: 'connect.facebook.net/en_US/fbevents.js#',
    vk_pixel: 'top-fwz1.mail.ru/js/code.js#',
    tiktok_pixel: 'analytics.tiktok.com/i18n/pixel/events.js?lib=ttq&sdkid='
  };
  // Known tracker URLs (zero-change auto-blocking): the n-th group matches VENDOR's n-th kind.
  var TRACKERS = /\/\/(?:(mc\.yandex\.)|(?:www\.)?(googletagmanager\.com\/gtm\.)|(?:www\.)?(googletagmanager\.com\/gtag\/|google-analytics\.com\/)|(connect\.facebook\.net\/)|(top-fwz1\.mail\.ru\/|vk\.com\/js\/api\/openapi|vk\.com\/rtrg)|(analytics\.tiktok\.com\/))/;
  var FIELDS = 'input,textarea,select';
  var GOOGLE = SERVICES.some((s) => /^google/.test(s.kind));
  // Internal interface shared with banner.js.
  var K = { c: C, on: [] };

  function service(key) {
    return SERVICES.find((s) => s.id === key || s.kind === key) || {};
  }

  // The consent key a known tracker waits for: its configured service, else its kind's category.
  function keyOfKind(kind) {
    return service(kind).id || (/pixel/.test(kind) ? 'marketing' : 'analytics');
  }

  // ---------------------------------------------------------------- storage
  // Cookie "kelisim" is a query string (documented in README.md, written by banner.js):
  // v=1&id=<uuid>&t=<decided, unix s>&x=<expires, unix s>&p=<policy version>&b=<banner version>
  // &a=<action>&g=<signal>&l=<language>&c=<categories, |-separated>&s=<services, |-separated>
  var st = K.st = {};
  try {
    st = K.st = Object.fromEntries(new URLSearchParams((d.cookie.match(/(^|;\s*)kelisim=([^;]*)/) || [])[2]));
  } catch (e) { /* unreadable cookie: a first visit */ }
  st.c = st.c ? st.c.split('|') : [];
  st.s = st.s ? st.s.split('|') : [];
  // A stored decision counts until it expires or the policy asks for consent again.
  K.decided = st.x > Date.now() / 1e3 && st.p >= C.policy.reconsent_from;
  var granted = K.decided ? st : { c: [], s: [] };

  K.accepted = (key) => key === 'necessary' || service(key).category === 'necessary' ||
    granted.c.includes(key) || granted.s.includes(key);

  // ---------------------------------------------------------------- gating
  var held = [];
  var loaded = {};
  var proto = Node.prototype;
  var insertBefore = proto.insertBefore;
  var metrica = keyOfKind('yandex_metrica');

  function gtag() { (w.dataLayer = w.dataLayer || []).push(arguments); }

  // Google Consent Mode v2: the four signals follow the analytics and marketing choices.
  function consentMode(command) {
    var a = K.accepted('analytics') ? 'granted' : 'denied';
    var m = K.accepted('marketing') ? 'granted' : 'denied';
    gtag('consent', command, { analytics_storage: a, ad_storage: m, ad_user_data: m, ad_personalization: m });
  }

  function addScript(src) {
    var n = d.createElement('script');
    n.src = src;
    n._k = 1;
    insertBefore.call(d.head, n, null);
  }

  // Hold a script: a non-JavaScript type keeps the browser from running (or fetching) it.
  function inspect(el) {
    if (el.tagName !== 'SCRIPT' || el._k) return;
    var key = el.getAttribute('data-consent');
    var type = el.getAttribute('type');
    var src = el.src;
    var marked = key && /^text\/plain$/i.test(type);
    if (!marked) {
      // Any type: a held script gets its own type back when released.
      var m = TRACKERS.exec(src);
      if (m) key = keyOfKind(Object.keys(VENDOR)[m.slice(1).findIndex(Boolean)]);
      SERVICES.forEach((s) => {
        if (s.options.src && src.indexOf(s.options.src) === 0) key = s.id;
      });
      if (!key) return;
      if (K.accepted(key)) {
        // Metrica without Webvisor consent: held until the queued ym() init calls are made.
        if (key !== metrica || K.accepted(metrica + '.webvisor')) return;
        setTimeout(release);
      }
    }
    el._k = 1;
    held.push([el, key, !marked && type]);
    el.type = 'javascript/blocked';
  }

  function release() {
    // Metrica's session recording is its own choice: switch it off in queued init calls.
    if (w.ym && !K.accepted(metrica + '.webvisor')) {
      (w.ym.a || []).forEach((args) => { if (args[1] === 'init' && args[2]) args[2].webvisor = false; });
    }
    held = held.filter((h) => {
      var el = h[0];
      var parent = el.parentNode;
      if (!K.accepted(h[1])) return true;
      var n = d.createElement('script');
      for (var a of el.attributes) n.setAttribute(a.name, a.value);
      n.removeAttribute('type');
      if (h[2]) n.type = h[2];
      n.text = el.text;
      // Released external scripts keep their order, like the parser would have run them.
      n.async = el.async;
      n.nonce = el.nonce;
      n._k = 1;
      insertBefore.call(parent || d.head, n, parent && el);
      if (parent) el.remove();
    });
  }

  // A managed service: the vendor's queue stub and first calls, as in its own snippet, then
  // its script.
  function loadManaged(s) {
    var o = s.options;
    var kind = s.kind;
    var id = o.counter_id || o.measurement_id || o.container_id || o.pixel_id;
    var q;
    if (kind === 'yandex_metrica') {
      q = w.ym = w.ym || function () { (q.a = q.a || []).push(arguments); };
      q.l = +new Date();
      q(id, 'init', { clickmap: true, trackLinks: true, accurateTrackBounce: true, webvisor: o.webvisor });
    }
    if (kind === 'google_analytics') {
      gtag('js', new Date());
      gtag('config', id);
    }
    if (kind === 'google_tag_manager') w.dataLayer.push({ 'gtm.start': +new Date(), event: 'gtm.js' });
    if (kind === 'meta_pixel') {
      q = w.fbq = w._fbq = w.fbq || function () {
        q.callMethod ? q.callMethod.apply(q, arguments) : q.queue.push(arguments);
      };
      q.push = q;
      q.loaded = true;
      q.version = '2.0';
      q.queue = [];
      q('init', id);
      q('track', 'PageView');
    }
    if (kind === 'vk_pixel') (w._tmr = w._tmr || []).push({ id: id, type: 'pageView', start: +new Date() });
    if (kind === 'tiktok_pixel') {
      q = w.ttq = w.ttq || [['page']];
      w.TiktokAnalyticsObject = 'ttq';
      q._i = { [id]: [] };
      q._t = { [id]: +new Date() };
      q._o = { [id]: {} };
    }
    addScript(VENDOR[kind] ? 'https://' + VENDOR[kind] + id : o.src);
  }

  // Make the page match the decision: vendors' opt-out flags, Consent Mode, scripts.
  K.apply = (decision) => {
    granted = decision || granted;
    SERVICES.forEach((s) => {
      var o = s.options;
      var off = !K.accepted(s.id);
      if (o.measurement_id) w['ga-disable-' + o.measurement_id] = off;
      if (o.counter_id) w['disableYaCounter' + o.counter_id] = off;
      // Consent Mode "advanced": Google's tag loads at once, with every signal denied.
      if (s.managed && !loaded[s.id] && (!off || o.consent_mode === 'advanced')) {
        loaded[s.id] = 1;
        o.webvisor = o.webvisor && K.accepted(s.id + '.webvisor');
        loadManaged(s);
      }
    });
    if (GOOGLE && (decision || K.decided)) consentMode('update');
    release();
  };

  // ---------------------------------------------------------------- UI
  // The UI lives in banner.js, which registers K.ui(layer); layer "auto" records a signal.
  function show(layer) {
    try {
      if (K.ui) return K.ui(layer);
      if (!K.want) addScript(C.banner);
      K.want = layer;
    } catch (e) { /* never throw into the page */ }
  }

  // The floating button that re-opens the settings; banner.js passes the site's own label,
  // later pages show "Cookie", a word visitors know in kk, ru and en alike.
  K.fab = (label) => {
    var host = K.fabHost;
    if (!C.appearance.floating_button) return;
    if (!host) {
      host = K.fabHost = d.body.appendChild(d.createElement('kelisim-fab'));
      var sheet = new CSSStyleSheet();
      var root = host.attachShadow({ mode: 'open' });
      sheet.replaceSync(':host{all:initial!important;position:fixed!important;bottom:9px!important;' +
        'left:9px!important;z-index:2147483646!important}button{font:13px sans-serif;padding:8px;background:#222;color:#fff}');
      root.adoptedStyleSheets = [sheet];
      root.appendChild(d.createElement('button')).onclick = () => show('settings');
    }
    host.shadowRoot.firstChild.textContent = label || 'Cookie';
  };

  // ---------------------------------------------------------------- start
  w.kelisim = {
    _: K,
    open: () => show('settings'),
    accepted: K.accepted,
    on: (name, fn) => name === 'change' && K.on.push(fn),
    reset: () => show('reset')
  };

  try {
    if (GOOGLE) consentMode('default');
    // Scripts inserted by other scripts: checked before the browser sees them.
    ['insertBefore', 'appendChild'].forEach((m) => {
      var orig = proto[m];
      proto[m] = function (n) {
        try { if (!n.isConnected) inspect(n); } catch (e) { /* never block the host */ }
        return orig.apply(this, arguments);
      };
    });
    // Scripts written in the HTML: the observer runs before the parser runs each one. Form
    // fields get Metrica's privacy classes so that session recording never captures typing.
    new MutationObserver((records) => {
      records.forEach((r) => {
        r.addedNodes.forEach((n) => {
          if (n.tagName) {
            inspect(n);
            (n.matches(FIELDS) ? [n] : n.querySelectorAll(FIELDS)).forEach((el) => {
              el.classList.add('ym-disable-keys', 'ym-hide-content');
            });
          }
        });
      });
    }).observe(d.documentElement, { childList: true, subtree: true });
    // Scripts before this one already started; only marked ones can still be held.
    d.querySelectorAll('script[data-consent]').forEach(inspect);
    K.apply();
    var start = () => {
      try {
        // Any element with data-kelisim-open re-opens the settings.
        d.addEventListener('click', (e) => {
          if (e.target.closest && e.target.closest('[data-kelisim-open]')) {
            e.preventDefault();
            show('settings');
          }
        });
        // Undecided: the banner, or an automatic reject for a GPC or DNT signal.
        K.decided ? K.fab() : show('first');
      } catch (e) { /* never throw into the page */ }
    };
    d.readyState === 'loading' ? d.addEventListener('DOMContentLoaded', start) : start();
  } catch (e) { /* never throw into the host page */ }
})(window, document);
