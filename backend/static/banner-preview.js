// Banner preview: the widget's cookies live in this page only. A decision made in the
// preview never reaches the dashboard's origin, and every preview is a first visit.
(function () {
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
})();
