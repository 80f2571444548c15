/*
 * Kelisim banner (GET /w/<site_key>/banner.js?v=<version>): the consent UI, and everything
 * that happens when a visitor decides: storing the decision, sending events, withdrawal.
 * The loader inserts it only when something must be shown and gates the trackers itself; this
 * file registers K.ui(layer) on the loader's internal object K (window.kelisim._).
 * Sections, in order: config, storage, UI, network, start.
 */
(function (w, d) {
  'use strict';
  var K = w.kelisim && w.kelisim._;
  if (!K || K.ui) return;

  // ---------------------------------------------------------------- config
  var C = __KELISIM_CONFIG__;
  var SERVICES = C.services || [];
  var CATEGORIES = ['necessary', 'analytics', 'marketing', 'functional'];
  var OPTIONAL = CATEGORIES.slice(1);
  var NATIVE = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
  var OP = C.operator || {};
  var SIGNAL = navigator.globalPrivacyControl ? 'gpc'
    : C.respect_dnt && (navigator.doNotTrack == 1 || w.doNotTrack == 1) ? 'dnt' : 'none';
  var st = K.st;
  var DAYS = Math.min(C.consent_days || 182, 395);

  // The visitor's language: <html lang>, then each browser language, then the site default.
  function detectLanguage() {
    var wanted = [d.documentElement.lang].concat(navigator.languages || []);
    for (var i = 0; i < wanted.length; i++) {
      var l = String(wanted[i] || '').toLowerCase().split(/[-_]/)[0];
      if (l === 'kz') l = 'kk';
      if (C.languages.indexOf(l) >= 0) return l;
    }
    return C.default_language;
  }
  var lang = detectLanguage();

  // A text in the current language, then English, then the key itself; never undefined.
  function t(key, vars) {
    var T = C.texts || {};
    var s = String((T[lang] || {})[key] || (T.en || {})[key] || key);
    for (var k in vars) s = s.split('%(' + k + ')s').join(vars[k]);
    return s;
  }

  function info(s) {
    var i = s.info || {};
    return i[lang] || i.en || {};
  }

  function unique(list) {
    return list.filter(function (x, i) { return x && list.indexOf(x) === i; });
  }

  // ---------------------------------------------------------------- storage
  function uuid() {
    var c = w.crypto;
    if (c.randomUUID) return c.randomUUID();
    // randomUUID exists only in secure contexts; plain-http pages build one from random bytes.
    var b = c.getRandomValues(new Uint8Array(16));
    b[6] = b[6] & 15 | 64;
    b[8] = b[8] & 63 | 128;
    var h = [].map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  }

  // The visitor's random consent ID, kept in the cookie from the first banner on.
  if (!/^[0-9a-f-]{36}$/.test(st.id || '')) st.id = uuid();

  function setCookie(nameValue, maxAge, domain) {
    try {
      d.cookie = nameValue + ';path=/;max-age=' + maxAge + ';SameSite=Lax' +
        (domain ? ';domain=' + domain : '') + (location.protocol === 'https:' ? ';Secure' : '');
    } catch (e) { /* cookies disabled: the choice lasts for this page only */ }
  }

  // The cookie format is documented in README.md; the loader reads it.
  function store(maxAge) {
    var v = ['v=1', 'id=' + st.id];
    ['t', 'x', 'p', 'b', 'a', 'g', 'l'].forEach(function (k) {
      if (st[k] != null) v.push(k + '=' + encodeURIComponent(st[k]));
    });
    v.push('c=' + st.c.join('|'), 's=' + st.s.join('|'));
    setCookie('kelisim=' + v.join('&'), maxAge);
  }

  // Delete the cookies of every service not granted now, on this host and each parent domain,
  // and Metrica's storage keys.
  function cleanup() {
    var names = [];
    SERVICES.forEach(function (s) { if (!K.accepted(s.id)) names = names.concat(s.cookies || []); });
    var parts = location.hostname.split('.');
    try {
      d.cookie.split(/;\s*/).forEach(function (c) {
        var name = c.split('=')[0];
        var hit = names.some(function (p) {
          return p === name || (/\*$/.test(p) && name.indexOf(p.slice(0, -1)) === 0);
        });
        for (var i = 0; hit && i <= parts.length; i++) {
          setCookie(name + '=', 0, i ? parts.slice(i - 1).join('.') : '');
        }
      });
      if (SERVICES.some(function (s) { return s.kind === 'yandex_metrica' && !K.accepted(s.id); })) {
        [localStorage, sessionStorage].forEach(function (area) {
          Object.keys(area).forEach(function (k) { if (/^_ym/.test(k)) area.removeItem(k); });
        });
      }
    } catch (e) { /* storage blocked: nothing of ours to clean */ }
  }

  // Text colour on the accent, and a link colour, that keep 4.5:1 contrast on white.
  var ACCENT = (C.appearance || {}).accent;
  // Checked, so that a site's setting can only ever be a colour inside the CSS.
  if (!/^#([0-9a-f]{3}){1,2}$/i.test(ACCENT)) ACCENT = '#1f5fbf';
  var hex = ACCENT.length < 7 ? ACCENT.replace(/\w/g, '$&$&') : ACCENT;
  var L = [1, 3, 5].reduce(function (sum, i, j) {
    var c = parseInt(hex.substr(i, 2), 16) / 255;
    c = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    return sum + c * [0.2126, 0.7152, 0.0722][j];
  }, 0);
  var LIGHT = L > 0.179;

  var CSS =
    ':host{all:initial!important;display:block!important;position:fixed!important;left:0!important;' +
    'right:0!important;bottom:0!important;top:auto!important;z-index:2147483647!important;' +
    'visibility:visible!important;opacity:1!important;transform:none!important}' +
    ':host([data-pos=top]){top:0!important;bottom:auto!important}' +
    ':host([data-pos=center]){top:0!important;display:flex!important;align-items:center;background:#0007}' +
    ':host([hidden]){display:none!important}' +
    '.k{--a:' + ACCENT + ';--f:' + (LIGHT ? '#111' : '#fff') + ';--l:' + (LIGHT ? '#1a1a1a' : ACCENT) +
    ';--bg:#fff;--fg:#1a1a1a;--mu:#4d4d4d;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;' +
    'color:var(--fg);text-align:left;width:100%}' +
    '.box{box-sizing:border-box;max-width:960px;max-height:calc(100vh - 24px);overflow:auto;margin:12px auto;' +
    'padding:18px 20px;background:var(--bg);border-radius:10px;box-shadow:0 4px 24px #0005;animation:k .2s ease-out}' +
    '@keyframes k{from{opacity:0;transform:translateY(8px)}}' +
    '@media (prefers-reduced-motion:reduce){.box{animation:none}}' +
    '@media (max-width:600px){.box{margin:0;border-radius:10px 10px 0 0;padding:14px}}' +
    '*{box-sizing:border-box}h2,h3,p,ul,dl,dd{margin:0 0 8px}h2{font-size:18px}h3{font-size:15px;margin:0}' +
    'a{color:var(--l)}.sm{font-size:13px;color:var(--mu)}' +
    '.top{display:flex;justify-content:space-between;gap:8px;align-items:flex-start;flex-wrap:wrap}' +
    'select{font:inherit;font-size:13px;padding:4px;border:1px solid #767676;border-radius:6px;background:#fff;color:var(--fg)}' +
    '.row{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}' +
    'button{font:inherit;font-weight:600;min-height:44px;padding:8px 16px;border-radius:8px;' +
    'border:2px solid var(--a);cursor:pointer;flex:1 1 150px;margin:0}' +
    '.p{background:var(--a);color:var(--f)}.s{background:var(--bg);color:var(--l)}' +
    ':focus-visible{outline:3px solid var(--fg);outline-offset:2px}' +
    '.cat{border-top:1px solid #ddd;padding:10px 0}.h{display:flex;justify-content:space-between;gap:8px;align-items:center}' +
    'label{display:flex;gap:8px;align-items:center;cursor:pointer}input{width:22px;height:22px;margin:0;accent-color:var(--a)}' +
    '.sub{margin:8px 0 0 16px}summary{cursor:pointer;padding:4px 0}dt{font-weight:600}dd{margin-left:0}';

  // ---------------------------------------------------------------- UI
  var host, root, box, layer, back, shownSent;
  var choice = {};

  function el(tag, props, kids) {
    var n = d.createElement(tag);
    for (var k in props) {
      var v = props[k];
      if (k === 'text') n.textContent = v;
      else if (typeof v === 'function') n[k] = v;
      else if (v != null && v !== false) n.setAttribute(k, v === true ? '' : v);
    }
    (kids || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }

  function button(key, cls, onclick) {
    return el('button', { type: 'button', class: cls, text: t(key), onclick: onclick });
  }

  function header(titleKey) {
    var select = C.languages.length > 1 && el('select', {
      'aria-label': t('language'),
      onchange: function () {
        lang = select.value;
        render(layer);
        root.querySelector('select').focus();
      }
    }, C.languages.map(function (l) {
      return el('option', { value: l, lang: l, selected: l === lang, text: NATIVE[l] || l });
    }));
    return el('div', { class: 'top' }, [el('h2', { id: 'k-title', text: t(titleKey) }), select]);
  }

  function optional() {
    return SERVICES.filter(function (s) { return s.category !== 'necessary'; });
  }

  // What a consent must name (Law No. 94-V, Art. 8): operator, term, recipients, border, data.
  function legal() {
    var infos = optional().map(info);
    var countries = unique(infos.map(function (i) { return i.country; })).filter(function (c) {
      return !/^(Kazakhstan|Қазақстан|Казахстан)$/i.test(c);
    });
    var providers = unique(infos.map(function (i) { return i.provider; }));
    var lines = [
      OP.name && OP.name + (OP.bin ? ', ' + t('operator_bin') + ' ' + OP.bin : '') + '.',
      t('consent_term', { days: DAYS }) + '.',
      providers.length && t('third_parties', { providers: providers.join(', ') }) + '.',
      countries.length && t('cross_border', { countries: countries.join(', ') }) + '.',
      t('data_collected') + '.'
    ];
    return el('p', { class: 'sm', text: lines.filter(Boolean).join(' ').replace(/\.\./g, '.') });
  }

  function firstLayer() {
    var url = (OP.policy_urls || {})[lang];
    return [
      header('title'),
      el('p', { id: 'k-desc' }, [
        d.createTextNode(t('description') + ' '),
        url && el('a', { href: url, target: '_blank', rel: 'noopener', text: t('policy_link') })
      ]),
      legal(),
      el('div', { class: 'row' }, [
        button('accept_all', 'p', function () { decideAll(true); }),
        button('reject_all', 'p', function () { decideAll(false); }),
        button('settings', 's', function () { render('settings'); box.focus(); })
      ])
    ];
  }

  function toggle(key, labelKey, describedBy) {
    return el('label', {}, [
      el('input', {
        type: 'checkbox', role: 'switch', checked: !!choice[key], 'aria-describedby': describedBy,
        onchange: function () { choice[key] = this.checked; }
      }),
      el('span', { text: t(labelKey) })
    ]);
  }

  function serviceDetails(s) {
    var i = info(s);
    var rows = [
      ['service_provider', i.provider], ['service_purpose', i.purpose],
      ['service_cookies', (s.cookies || []).join(', ')], ['service_country', i.country],
      ['service_term', i.term]
    ];
    return el('details', {}, [
      el('summary', { text: i.name || s.id }),
      el('dl', { class: 'sm' }, [].concat.apply([], rows.filter(function (r) { return r[1]; }).map(function (r) {
        return [el('dt', { text: t(r[0]) }), el('dd', { text: r[1] })];
      })))
    ]);
  }

  function category(cat) {
    var list = SERVICES.filter(function (s) { return s.category === cat; });
    var descId = 'k-' + cat;
    var kids = [
      el('div', { class: 'h' }, [
        cat === 'necessary'
          ? el('h3', { text: t(cat + '_title') })
          : toggle(cat, cat + '_title', descId),
        cat === 'necessary' && el('span', { class: 'sm', text: t('always_on') })
      ]),
      el('p', { id: descId, class: 'sm', text: t(cat + '_description') })
    ];
    list.forEach(function (s) {
      kids.push(serviceDetails(s));
      if (s.kind === 'yandex_metrica' && (s.options || {}).webvisor) {
        kids.push(el('div', { class: 'sub' }, [
          toggle('webvisor', 'webvisor_title', 'k-wv'),
          el('p', { id: 'k-wv', class: 'sm', text: t('webvisor_description') })
        ]));
      }
    });
    if (!list.length) kids.push(el('p', { class: 'sm', text: t('no_services') }));
    return el('section', { class: 'cat', 'aria-label': t(cat + '_title') }, kids);
  }

  function settingsLayer() {
    var decided = K.decided;
    var subjects = ['withdraw', 'access', 'delete'];
    var kids = [
      header('settings'),
      SIGNAL === 'gpc' && el('p', { class: 'sm', text: t('gpc_notice') })
    ].concat(CATEGORIES.map(category));
    kids.push(el('section', { class: 'cat', 'aria-labelledby': 'k-op' }, [
      el('h3', { id: 'k-op', text: t('operator_title') }),
      el('p', { class: 'sm', text: [OP.name, OP.bin && t('operator_bin') + ' ' + OP.bin, OP.address &&
        t('operator_address') + ': ' + OP.address].filter(Boolean).join(' · ') }),
      OP.email && el('h3', { text: t('contacts_title') }),
      OP.email && el('ul', { class: 'sm' }, subjects.map(function (k) {
        return el('li', {}, [el('a', {
          href: 'mailto:' + OP.email + '?subject=' + encodeURIComponent(t('subject_' + k)),
          text: t('request_' + k)
        })]);
      }))
    ]));
    if (decided) {
      kids.push(el('section', { class: 'cat', 'aria-labelledby': 'k-rc' }, [
        el('h3', { id: 'k-rc', text: t('receipt_title') }),
        el('dl', { class: 'sm' }, [
          el('dt', { text: t('receipt_id') }), el('dd', { text: st.id }),
          el('dt', { text: t('receipt_date') }),
          el('dd', { text: new Date(st.t * 1e3).toLocaleString(lang === 'kk' ? 'kk-KZ' : lang) }),
          el('dt', { text: t('receipt_policy') }), el('dd', { text: String(st.p) })
        ])
      ]));
    }
    kids.push(el('div', { class: 'row' }, [
      button('accept_all', 'p', function () { decideAll(true); }),
      button('reject_all', 'p', function () { decideAll(false); }),
      button('save', 's', saveChoice)
    ]), el('div', { class: 'row' }, [
      decided && (st.c.length || st.s.length) && button('withdraw', 's', function () { decide('withdraw', []); }),
      button(decided ? 'close_settings' : 'back', 's', goBack)
    ]));
    return kids;
  }

  function render(which) {
    layer = which;
    box = el('div', {
      class: 'box', role: 'dialog', 'aria-label': t('dialog_label'), tabindex: '-1', lang: lang,
      'aria-describedby': which === 'first' ? 'k-desc' : null
    }, which === 'first' ? firstLayer() : settingsLayer());
    root.replaceChildren(el('div', { class: 'k' }, [box]));
  }

  function goBack() {
    if (K.decided) return close();
    render('first');
    box.focus();
  }

  function close() {
    host.hidden = true;
    try {
      K.fab(t('open_settings'));
      (back && back.isConnected ? back : d.body).focus({ preventScroll: true });
    } catch (e) { /* focus is a courtesy */ }
  }

  // Record a decision: store it, send it, make the page match; reload if anything was revoked.
  function decide(action, categories) {
    var services = [];
    SERVICES.forEach(function (s) {
      if (categories.indexOf(s.category) < 0) return;
      services.push(s.id);
      if (s.kind === 'yandex_metrica' && (s.options || {}).webvisor &&
          (action === 'accept_all' || choice.webvisor)) services.push(s.id + '.webvisor');
    });
    var before = K.decided ? st.c.concat(st.s) : [];
    st.t = Math.floor(Date.now() / 1e3);
    st.x = st.t + DAYS * 86400;
    st.p = C.policy.version;
    st.b = C.version;
    st.c = categories;
    st.s = services;
    st.a = action;
    st.g = SIGNAL;
    st.l = lang;
    store(DAYS * 86400);
    K.decided = true;
    if (host) close();
    event(action);
    K.apply({ c: categories, s: services });
    if (w.dataLayer && SERVICES.some(function (s) { return /^google/.test(s.kind); })) {
      w.dataLayer.push({ event: 'kelisim_consent', kelisim_categories: categories, kelisim_services: services });
    }
    var detail = { action: action, categories: categories, services: services };
    K.on.forEach(function (fn) { try { fn(detail); } catch (e) { /* the host's bug */ } });
    d.dispatchEvent(new CustomEvent('kelisim:change', { detail: detail }));
    if (before.some(function (k) { return !K.accepted(k); })) {
      // A running tag cannot be unloaded: the loader's opt-out flags and Consent Mode update
      // stop what they can; delete the trackers' data and reload so nothing runs any more.
      cleanup();
      location.reload();
    }
  }

  function decideAll(yes) {
    decide(yes ? 'accept_all' : 'reject_all', yes ? OPTIONAL : []);
  }

  function saveChoice() {
    decide('custom', OPTIONAL.filter(function (c) { return choice[c]; }));
  }

  // ---------------------------------------------------------------- network
  // One attempt per event: a backend that is down loses the event, never the page.
  function send(ev) {
    try {
      var body = JSON.stringify(ev);
      var url = C.api + '/events';
      if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
        fetch(url, {
          method: 'POST', body: body, keepalive: true, credentials: 'omit',
          headers: { 'Content-Type': 'text/plain;charset=UTF-8' }
        }).catch(function () { /* dropped */ });
      }
    } catch (e) { /* never throw into the host page */ }
  }

  function event(action) {
    var ev = {
      site: C.site, consent_id: st.id, action: action,
      categories: action === 'shown' ? [] : st.c, services: action === 'shown' ? [] : st.s,
      policy_version: C.policy.version, banner_version: C.version,
      language: lang, layer: layer || 'first', signal: SIGNAL
    };
    var hash = (C.texts_hash || {})[lang];
    if (hash) ev.texts_hash = hash;
    if (action !== 'shown') ev.expires_at = new Date(st.x * 1e3).toISOString().replace(/\.\d+/, '');
    send(ev);
  }

  // Shows a layer ("first" or "settings"); moves focus into the dialog.
  K.ui = function (which) {
    if (which === 'reset') {
      // Forget the decision (a new visitor), delete the trackers' data, start again.
      K.apply({ c: [], s: [] });
      setCookie('kelisim=', 0);
      cleanup();
      return location.reload();
    }
    if (which === 'first' && SIGNAL !== 'none') {
      // GPC (or DNT where the site respects it) is an automatic reject, recorded as such;
      // the visitor can still choose from the settings.
      layer = 'first';
      decide(SIGNAL === 'gpc' ? 'gpc' : 'reject_all', []);
      return K.fab(t('open_settings'));
    }
    if (!d.body) return d.addEventListener('DOMContentLoaded', function () { K.ui(which); });
    if (!host) {
      host = d.createElement('kelisim-ui');
      host.setAttribute('data-pos', (C.appearance || {}).position || 'bottom');
      root = host.attachShadow({ mode: 'open' });
      if (root.adoptedStyleSheets && w.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } else {
        root.appendChild(el('style', { text: CSS }));
      }
      root.addEventListener('keydown', function (e) {
        // Escape never decides: settings go back, the first layer hands focus back to the page.
        if (e.key !== 'Escape') return;
        if (layer === 'settings' || K.decided) return goBack();
        if (back && back.focus) back.focus();
      });
      d.body.appendChild(host);
    }
    var active = d.activeElement;
    back = active && active !== d.body && !(host.contains(active)) ? active : back;
    OPTIONAL.concat('webvisor').forEach(function (c) { choice[c] = false; });
    if (K.decided) {
      OPTIONAL.forEach(function (c) { choice[c] = K.accepted(c); });
      choice.webvisor = K.st.s.some(function (s) { return /\.webvisor$/.test(s); });
    }
    render(which);
    host.hidden = false;
    box.focus({ preventScroll: true });
    if (which === 'first' && !K.decided && !shownSent) {
      shownSent = 1;
      store(DAYS * 86400);
      event('shown');
    }
  };

  // ---------------------------------------------------------------- start
  try {
    if (K.want) K.ui(K.want);
  } catch (e) { /* never throw into the host page */ }
})(window, document);
