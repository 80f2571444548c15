// Yandex.Metrica: the ym() queue of Yandex's own snippet and the counter's init call, with
// Webvisor only when the visitor allowed session recording.
MANAGED.yandex_metrica = (window, options, webvisor) => {
  var ym = window.ym = window.ym || function () { (ym.a = ym.a || []).push(arguments); };
  ym.l = Date.now();
  ym(options.counter_id, 'init', { clickmap: true, trackLinks: true, accurateTrackBounce: true, webvisor: webvisor });
};
