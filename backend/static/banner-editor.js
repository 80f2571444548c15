// Banner editor: keeps the preview frame in step with the form (the form itself posts it to
// the preview, so this only resubmits it), clears a text back to its default, and switches
// the preview between desktop and phone widths. Without it, "Update preview" does the work.
(function () {
  var form = document.getElementById('banner-form');
  var button = document.getElementById('preview-button');
  if (!form || !button) return;
  var frame = form.querySelector('.preview-frame iframe');
  var box = frame.parentNode;
  var timer;
  // One preview at a time: a change made while one loads is previewed once it has loaded
  // (a submission into a frame that is still navigating can be dropped).
  var loading = false;
  var changed = false;

  // The preview keeps its real width (the widget lays itself out for it) and is scaled down
  // to fit the box, which then takes the scaled height.
  function fit() {
    frame.style.transform = '';
    box.style.height = '';
    var scale = Math.min(1, box.clientWidth / frame.offsetWidth);
    if (scale < 1) {
      frame.style.transform = 'scale(' + scale + ')';
      box.style.height = Math.ceil(frame.offsetHeight * scale) + 2 + 'px';
    }
  }

  function update() {
    changed = loading;
    if (loading) return;
    loading = true;
    form.requestSubmit(button);
  }

  function preview() {
    clearTimeout(timer);
    // Typing goes on: wait for a pause rather than rebuild the preview on every key.
    timer = setTimeout(update, 400);
  }

  frame.addEventListener('load', function () {
    loading = false;
    if (changed) update();
  });

  form.addEventListener('input', function (event) {
    if (event.target.name === 'preview_width') return;
    preview();
  });
  form.addEventListener('change', function (event) {
    if (event.target.name !== 'preview_width') return;
    frame.className = event.target.value;
    fit();
  });
  window.addEventListener('resize', fit);
  form.addEventListener('click', function (event) {
    var id = event.target.dataset && event.target.dataset.reset;
    if (!id) return;
    var field = document.getElementById(id);
    field.value = '';
    field.focus();
    preview();
  });
  fit();
  update();
})();
