// TikTok pixel: the ttq queue of TikTok's own snippet, with a page view.
MANAGED.tiktok_pixel = (w, o) => {
  var ttq = w.ttq = w.ttq || [['page']];
  var id = o.pixel_id;
  w.TiktokAnalyticsObject = 'ttq';
  ttq._i = { [id]: [] };
  ttq._t = { [id]: Date.now() };
  ttq._o = { [id]: {} };
};
