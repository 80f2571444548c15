// The floating button that re-opens the settings (<kelisim-fab>), in the loaders of the sites
// that show it only: the server puts this function where __KELISIM_FLOATING_BUTTON__ stands
// in src/kelisim.js, as shared._floatingButton(label). Made when first needed; banner.js
// passes the site's own label, later pages show "Cookie", a word visitors know in kk, ru and
// en. A click does what kelisim.open() does.
PARTS.floating_button = ((host) => (label) => {
  if (!host) {
    host = document.createElement('kelisim-fab');
    // Styled through the CSSOM, which a CSP without 'unsafe-inline' allows; inline
    // !important beats anything the page's CSS says, and the button sits in a shadow root.
    host.style.cssText = 'all:initial!important;position:fixed!important;bottom:9px!important;left:9px!important;z-index:2147483646!important';
    var button = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('button'));
    button.style.cssText = 'font:13px system-ui;padding:8px;background:#222;color:#fff';
    button.onclick = () => kelisim.open();
    // In <html>, not <body>: a transform or filter on <body> would pin it to the body.
    document.documentElement.appendChild(host);
  }
  host.shadowRoot.firstChild.textContent = label || 'Cookie';
})();
