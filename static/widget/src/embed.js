/*
 * Kelisim placeholders (GET /w/<site_key>/<release>/embed.<language>.js): what stands in an
 * embed's place while it is held, and how held frames, images and embeds are released. The
 * loader fetches this file on the pages where it holds one of those (a video, a map, a
 * post, a form: a frame or a provider's script; a pixel's image) and nowhere else, so that
 * the pages without them pay only for recognising them. It registers shared._embed(held) on
 * the loader's internal object (window.kelisim._, documented in kelisim.js), which the
 * loader calls for each held thing when it is held and when its key is granted, and does
 * so for what was held before it came.
 *
 * A held frame is its own placeholder: it shows a document of ours (srcdoc) in the box the
 * page gave it, so that nothing moves when the placeholder comes or when the embed loads.
 * A held script's placeholder stands before it (before the inline script that called the
 * embed's constructor, for 2GIS), in a box sized as the embed will be where the code says.
 * Each says what the embed is, who gets the visitor's data and where, links to the
 * provider's policy, and has two buttons: load this one (this page view only, nothing
 * recorded) and always allow, a decision recorded like one from the settings.
 */
(function (window, document) {
  var shared = window.kelisim && window.kelisim._;
  if (!shared || shared._embed) return;

  // pack: in the visitor's language, texts with {name}, {provider}, {country}, {host}, and
  // the embeds this site may hold, {kind: {name, provider, country, policy, autoplay,
  // api_ready}} (backend/services/publishing.embed_config).
  var pack = __KELISIM_CONFIG__;
  var texts = pack.texts;
  var kinds = shared._config._kinds;

  var CSS =
    ':host,body{all:initial;display:block;margin:0;height:100%;box-sizing:border-box}html{height:100%}' +
    '.card{box-sizing:border-box;height:100%;min-height:150px;overflow:auto;padding:16px;display:flex;flex-direction:column;' +
    'justify-content:safe center;gap:10px;font:14px/1.45 system-ui,sans-serif;background:#f1f1f1 center/cover;color:#1a1a1a;' +
    'border:1px solid #c8c8c8}' +
    '.poster{color:#fff;text-shadow:0 1px 2px #000}' +
    'p{margin:0}a{color:inherit}.name{font-weight:600;font-size:16px}' +
    '.buttons{display:flex;flex-wrap:wrap;gap:8px}' +
    'button{font:inherit;font-weight:600;min-height:44px;padding:8px 14px;border-radius:8px;cursor:pointer;' +
    'border:2px solid #1a1a1a;background:#fff;color:#1a1a1a}' +
    '.play{background:#1a1a1a;color:#fff}:focus-visible{outline:3px solid #1f5fbf;outline-offset:2px}';

  // A text with its {names} filled in.
  var fill = (key, facts) => texts[key].replace(/\{(\w+)\}/g, (all, name) => facts[name] || '');

  function el(document, tag, attributes, ...children) {
    var element = document.createElement(tag);
    for (var name in attributes) {
      if (name.startsWith('on')) element[name] = attributes[name];
      else element.setAttribute(name, attributes[name]);
    }
    element.append(...children.filter(Boolean));
    return element;
  }

  // The facts a placeholder gives: its kind's, or for a marked frame of no known provider,
  // its host's name.
  function factsOf(held) {
    var host = '';
    try {
      host = new URL(held._url || held._element.src, location.href).hostname;
    } catch { /* no URL: no host named */ }
    var facts = pack.kinds[held._kind] || { name: host, provider: host, country: '' };
    return { ...facts, host: host };
  }

  // The placeholder's content, in `root` (the frame's body, or a shadow root), built with
  // the DOM of `doc`, and styled through the CSSOM, which a CSP without 'unsafe-inline'
  // allows: a sheet of `sheetOf`'s window, adopted by `styled` (the frame's document, or
  // the shadow root).
  function card(doc, root, held, sheetOf, styled = root) {
    var facts = factsOf(held);
    var element = held._element;
    var poster = element.getAttribute('data-poster');
    var title = element.getAttribute('title') || element.getAttribute('data-title');
    var sheet = new sheetOf.CSSStyleSheet();
    sheet.replaceSync(CSS);
    styled.adoptedStyleSheets = [sheet];
    var box = el(doc, 'div', { class: 'card' + (poster ? ' poster' : ''), lang: pack.language },
      el(doc, 'p', { class: 'name' }, facts.name, title && title !== facts.name ? ': ' + title : ''),
      el(doc, 'p', {}, fill(facts.country ? 'notice' : 'notice_unknown', facts), ' ',
        facts.policy && el(doc, 'a', { href: facts.policy, target: '_blank', rel: 'noopener' }, fill('policy', facts))),
      el(doc, 'div', { class: 'buttons' },
        el(doc, 'button', { type: 'button', class: 'play', onclick: () => load(held, facts) }, fill('load', facts)),
        pack.kinds[held._kind] || held._key !== held._kind
          ? el(doc, 'button', { type: 'button', onclick: () => allow(held, facts) }, fill('allow', facts)) : null));
    // The operator's own image (never the provider's before consent), darkened for the text.
    if (poster) box.style.backgroundImage = 'linear-gradient(#0009,#0009),url("' + encodeURI(poster) + '")';
    root.replaceChildren(box);
  }

  // Queued calls whose script is on its way.
  var waiting = [];

  // A queued call, made as the page made it: with document.currentScript the script that
  // made it (where 2GIS's loader puts its map).
  function replay(held) {
    var [name, args] = held._call;
    try {
      Object.defineProperty(document, 'currentScript', { value: held._element, configurable: true });
      new window[name](...args);
    } catch { /* the provider's bug */ }
    delete document.currentScript;
  }

  // Release one thing held, granted or not (a placeholder's "load this one"): a frame or
  // an image gets its src, a script runs, a queued call is made once its script has defined
  // the real global (at once if it has), and its script runs first if it still waits.
  function release(held) {
    var element = held._element;
    var call = held._call;
    shared._held = shared._held.filter((other) => other !== held);
    held._placeholder?.remove();
    if (call || held._player) {
      // Its embed's script first (the API, for a player): this embed was asked for.
      shared._held.filter((other) => other._kind === held._kind && other._type != null).forEach(release);
      if (!call) return;
      if (window[call[0]]._queue) waiting.push(held);
      else replay(held);
    } else if (held._url != null) {
      // The src first, then no srcdoc: one navigation, to the src, which a lazy frame
      // (loading="lazy") still defers until it is scrolled near.
      shared._sources[element.localName].set.call(element, held._url);
      element.removeAttribute('srcdoc');
    } else {
      // An embed's script: the calls queued for its globals are made once it has run.
      if (kinds[held._kind][4].length) element.addEventListener('load', () => waiting.splice(0).forEach(replay));
      shared._release(held);
    }
  }

  // This one, now: a video plays at once (its provider's autoplay parameter), focus moves
  // into it.
  function load(held, facts) {
    if (held._url && facts.autoplay) {
      held._url += (held._url.includes('?') ? '&' : '?') + facts.autoplay;
    }
    // The frames a script builds for it (2GIS's) come without another click.
    if (held._url == null) shared._once.push(held._key);
    release(held);
    if (held._element?.localName === 'iframe') held._element.focus();
  }

  // A decision, recorded: this one loads at once, and the others with the same key once
  // the banner has recorded it.
  function allow(held, facts) {
    load(held, facts);
    shared._show('allow:' + held._key);
  }

  // Built in the document of ours the loader gave the frame (srcdoc), once it is there: at
  // once, or when it has loaded (a frame not in the page yet, or a lazy one). A frame
  // released meanwhile, or sandboxed (no document of it may be written into), gets nothing.
  function frame(held) {
    var element = held._element;
    var build = () => {
      var doc = element.contentDocument;
      if (doc?.URL === 'about:srcdoc' && doc.readyState === 'complete' && element.hasAttribute('srcdoc')) {
        element.removeEventListener('load', build);
        doc.documentElement.lang = pack.language;
        doc.title = factsOf(held).name;
        card(doc, doc.body, held, element.contentWindow, doc);
      }
    };
    element.addEventListener('load', build);
    build();
  }

  // A script's placeholder, in the box the loader reserved for it when it held it (before
  // the script, or before the script that called its constructor), or reserves now (a
  // script that was not in the page then; a player's target: inside). :host in CSS resets
  // the rest; the page's own rules could only reach this made-up tag.
  // Its width: as the code says (digits are pixels), else at most as wide as a post.
  function inBox(held, inside) {
    var host = held._placeholder?.isConnected ? held._placeholder : shared._box(held, inside);
    if (host && !host.shadowRoot) {
      var width = (held._call?.[1][0] || held._player || {}).width;
      try {
        width ??= new URL(held._element.src).searchParams.get('width');
      } catch { /* an inline script, or a player's target: no URL */ }
      host.style.width = '100%';
      host.style.maxWidth = /^\d+$/.test(width) ? width + 'px' : width || '540px';
      card(document, host.attachShadow({ mode: 'open' }), held, window);
    }
  }

  // A held script API that calls the page back when ready (pack.kinds[kind].api_ready:
  // YouTube's onYouTubeIframeAPIReady, YT, Player): once the page is parsed, its callback is
  // called with a stand-in global whose constructor puts a placeholder in each player's
  // target, then the stand-in is taken away, so that the real API, once released, builds
  // the players (and replaces those targets) as if nothing had happened.
  function apiPlayers(held, [callback, global, constructor]) {
    var build = () => {
      if (!window[callback] || window[global]) return;
      window[global] = {
        [constructor]: function (target, options) {
          var player = {
            _element: target.nodeType ? target : document.getElementById(target),
            _key: held._key, _kind: held._kind, _player: options || {}
          };
          shared._held.push(player);
          inBox(player, 1);
        }
      };
      try {
        window[callback]();
      } catch { /* the page's bug */ }
      delete window[global];
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', build);
    else build();
  }

  // A held thing, when it is held and when its key is granted: released if granted, else
  // its placeholder: a frame's in itself, a script's or a call's in the box the loader
  // keeps for it (none where its calls stand for it, 2GIS's, its frames do, Yandex Forms',
  // or its players' targets do, YouTube's iframe API's). An image has none (a pixel).
  shared._embed = (held) => {
    try {
      if (shared._accepted(held._key)) release(held);
      else if (held._element?.localName === 'iframe') frame(held);
      else if (pack.kinds[held._kind]?.api_ready && held._type != null) apiPlayers(held, pack.kinds[held._kind].api_ready);
      else if (held._url == null) inBox(held);
    } catch { /* never throw into the host page */ }
  };

  // What the loader held before this file came: all but the trackers' scripts, its own.
  shared._held.filter((held) => held._type == null || kinds[held._kind]?.[4]).forEach(shared._embed);
})(window, document);
