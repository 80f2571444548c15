// VK Ads pixel (Top@Mail.ru): the _tmr queue of VK's own snippet, with a page view.
MANAGED.vk_pixel = (w, o) => {
  (w._tmr = w._tmr || []).push({ id: o.pixel_id, type: 'pageView', start: Date.now() });
};
