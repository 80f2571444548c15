// Google Analytics 4: the gtag() calls of Google's own snippet (Consent Mode is set already).
MANAGED.google_analytics = (window, options, webvisor, gtag) => {
  gtag('js', new Date());
  gtag('config', options.measurement_id);
};
