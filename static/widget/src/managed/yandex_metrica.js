// Yandex.Metrica: the ym() queue of Yandex's own snippet and the counter's init call, with
// Webvisor only when the visitor allowed session recording.
MANAGED.yandex_metrica = (w, o, webvisor) => {
  var ym = w.ym = w.ym || function () { (ym.a = ym.a || []).push(arguments); };
  ym.l = Date.now();
  ym(o.counter_id, 'init', { clickmap: true, trackLinks: true, accurateTrackBounce: true, webvisor: webvisor });
};
