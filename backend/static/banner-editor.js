// Banner editor: keeps the preview frame in step with the form, clears a text back to its
// default, switches the preview between desktop and phone widths, and on a narrow screen
// docks the preview at the bottom of the screen, under the field being edited. Without it,
// "Update preview" posts the form into the frame.
(function () {
  var form = document.getElementById('banner-form');
  var button = document.getElementById('preview-button');
  if (!form || !button) return;
  // The preview follows the form by itself: the button is for pages without this script.
  button.hidden = true;
  var frame = form.querySelector('.preview-frame iframe');
  var box = frame.parentNode;
  var section = document.getElementById('preview');
  var toggle = form.querySelector('.preview-toggle');
  var timer;
  var latest = 0;

  // Beside the form (kelisim.css: 60rem and wider) the frame's box fills the sticky column.
  var beside = window.matchMedia('(min-width: 60rem)');

  // The preview keeps its real width (the widget lays itself out for it) and is scaled down
  // to fit the box. Beside the form or docked, the frame is as tall as the room it has (so
  // the whole banner shows as on a screen of that height); otherwise the box takes the
  // frame's scaled height.
  function fit() {
    frame.style.transform = '';
    box.style.height = '';
    frame.style.height = '';
    var scale = Math.min(1, box.clientWidth / frame.offsetWidth);
    var docked = section.classList.contains('docked');
    var room = 0;
    if (docked) room = section.getBoundingClientRect().bottom - box.getBoundingClientRect().top - 12;
    else if (beside.matches) room = box.clientHeight;
    if (room) frame.style.height = Math.max(200, Math.floor(room / scale)) + 'px';
    if (scale < 1) {
      frame.style.transform = 'scale(' + scale + ')';
      if (!room) box.style.height = Math.ceil(frame.offsetHeight * scale) + 2 + 'px';
    }
  }

  // The form is posted (CSRF token included) and the frame opens the preview it leads to:
  // only the answer to the latest post is shown, whichever order the answers come in.
  // (Posting the form into the frame instead loses a change made while the frame loads.)
  function update() {
    var mine = ++latest;
    fetch(button.formAction, { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
      .then(function (response) {
        if (mine !== latest) return;
        if (response.ok) {
          frame.removeAttribute('srcdoc');
          frame.src = response.url;
        } else {
          // Why the preview could not be built, shown in the frame.
          return response.text().then(function (html) { if (mine === latest) frame.srcdoc = html; });
        }
      })
      .catch(function () { /* the next change tries again */ });
  }

  function preview() {
    clearTimeout(timer);
    // Typing goes on: wait for a pause rather than rebuild the preview on every key.
    timer = setTimeout(update, 400);
  }

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
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var docked = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(docked));
      section.classList.toggle('docked', docked);
      document.documentElement.classList.toggle('preview-docked', docked);
      fit();
    });
  }
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
