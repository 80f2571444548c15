// VK Ads pixel (Top@Mail.ru): the _tmr queue of VK's own snippet, with a page view.
MANAGED.vk_pixel = (window, options) => {
  (window._tmr = window._tmr || []).push({ id: options.pixel_id, type: 'pageView', start: Date.now() });
};
