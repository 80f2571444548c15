// Meta pixel: the fbq() queue of Meta's own snippet, then init and PageView.
MANAGED.meta_pixel = (window, options) => {
  var fbq = window.fbq = window._fbq = window.fbq || function () {
    if (fbq.callMethod) fbq.callMethod.apply(fbq, arguments);
    else fbq.queue.push(arguments);
  };
  fbq.push = fbq;
  fbq.loaded = true;
  fbq.version = '2.0';
  fbq.queue = fbq.queue || [];
  fbq('init', options.pixel_id);
  fbq('track', 'PageView');
};
