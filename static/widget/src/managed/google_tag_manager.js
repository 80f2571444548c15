// Google Tag Manager: the start event of Google's own snippet.
MANAGED.google_tag_manager = (window) => {
  window.dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' });
};
