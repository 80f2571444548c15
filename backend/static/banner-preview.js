// Banner preview: the widget's cookies live in this page only, and it takes no focus the
// person editing has not given it.
(function () {
  // A decision made in the preview never reaches the dashboard's origin, and every preview
  // is a first visit.
  var jar = {};
  Object.defineProperty(document, 'cookie', {
    get: function () {
      return Object.keys(jar).map(function (name) { return name + '=' + jar[name]; }).join('; ');
    },
    set: function (text) {
      var pair = text.split(';')[0];
      var at = pair.indexOf('=');
      var name = pair.slice(0, at).trim();
      if (/;\s*max-age=0\b/i.test(text)) delete jar[name];
      else jar[name] = pair.slice(at + 1);
    }
  });

  // The banner moves focus into itself when it opens, as it should on a site; in the editor
  // the preview reopens after every pause in typing, and would take the keyboard away from
  // the field being typed in. So it may focus only once the preview itself has the focus.
  var focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function () {
    if (document.hasFocus()) focus.apply(this, arguments);
  };
})();
