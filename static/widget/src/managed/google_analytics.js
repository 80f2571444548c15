// Google Analytics 4: the gtag() calls of Google's own snippet (Consent Mode is set already).
MANAGED.google_analytics = (w, o, webvisor, gtag) => {
  gtag('js', new Date());
  gtag('config', o.measurement_id);
};
