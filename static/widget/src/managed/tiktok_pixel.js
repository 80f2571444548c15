// TikTok pixel: the ttq queue of TikTok's own snippet, with a page view.
MANAGED.tiktok_pixel = (window, options) => {
  var ttq = window.ttq = window.ttq || [['page']];
  var id = options.pixel_id;
  window.TiktokAnalyticsObject = 'ttq';
  ttq._i = { [id]: [] };
  ttq._t = { [id]: Date.now() };
  ttq._o = { [id]: {} };
};
