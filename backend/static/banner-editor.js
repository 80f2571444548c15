// Banner editor: keeps the preview frame in step with the form (the form itself posts it to
// the preview, so this only resubmits it), clears a text back to its default, and switches
// the preview between desktop and phone widths. Without it, "Update preview" does the work.
(function () {
  var form = document.getElementById('banner-form');
  var button = document.getElementById('preview-button');
  if (!form || !button) return;
  var frame = form.querySelector('.preview-frame iframe');
  var timer;

  function preview() {
    clearTimeout(timer);
    // Typing goes on: wait for a pause rather than rebuild the preview on every key.
    timer = setTimeout(function () { form.requestSubmit(button); }, 400);
  }

  form.addEventListener('input', function (event) {
    if (event.target.name === 'preview_width') return;
    preview();
  });
  form.addEventListener('change', function (event) {
    if (event.target.name === 'preview_width') frame.className = event.target.value;
  });
  form.addEventListener('click', function (event) {
    var id = event.target.dataset && event.target.dataset.reset;
    if (!id) return;
    var field = document.getElementById(id);
    field.value = '';
    field.focus();
    preview();
  });
  form.requestSubmit(button);
})();
