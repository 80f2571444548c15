/* Stand-in for a tracker's script, served instead of the real one by request routing. */
(function () {
  var name = __NAME__;
  var runs = window.__trackerRuns = window.__trackerRuns || [];
  var plain = function (a) { return JSON.parse(JSON.stringify([].slice.call(a))); };
  var queue = {
    yandex_metrica: window.ym && window.ym.a, gtag: window.dataLayer, gtm: window.dataLayer,
    meta_pixel: window.fbq && window.fbq.queue, vk_pixel: window._tmr, tiktok_pixel: window.ttq,
    acme_ads: window.acme
  }[name] || [];
  runs.push({
    name: name,
    url: document.currentScript && document.currentScript.src,
    queue: [].map.call(queue, function (x) {
      return x && typeof x === 'object' && x.length !== undefined ? plain(x) : x;
    })
  });
  if (name === 'gtm' || name === 'gtag') {
    // Google's tag processes what is queued, then takes over push() to process what comes.
    var layer = window.dataLayer = window.dataLayer || [];
    var processed = window.__processed = window.__processed || [];
    var take = function (x) { processed.push(x && x.length !== undefined ? plain(x) : x); };
    [].forEach.call(layer, take);
    layer.push = function () {
      [].forEach.call(arguments, take);
      return [].push.apply(layer, arguments);
    };
  }
  if (name === 'yandex_metrica') {
    // Later ym() calls go straight to the "tracker".
    window.ym = function () { runs.push({ name: 'ym-call', args: plain(arguments) }); };
    localStorage.setItem('_ym_uid', '1');
    document.cookie = '_ym_d=1; path=/';
  }
  if (__COOKIE__) document.cookie = __COOKIE__ + '=1; path=/';
  if (__HIT__) navigator.sendBeacon(__HIT__, 'hit');
})();
