// Meta pixel: the fbq() queue of Meta's own snippet, then init and PageView.
MANAGED.meta_pixel = (w, o) => {
  var fbq = w.fbq = w._fbq = w.fbq || function () {
    fbq.callMethod ? fbq.callMethod.apply(fbq, arguments) : fbq.queue.push(arguments);
  };
  fbq.push = fbq;
  fbq.loaded = true;
  fbq.version = '2.0';
  fbq.queue = fbq.queue || [];
  fbq('init', o.pixel_id);
  fbq('track', 'PageView');
};
