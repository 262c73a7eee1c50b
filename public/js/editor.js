/* The write page: images uploaded by button, drop or paste into the article text, and the cover
   image. Each file is sent as it is to POST /images (the site checks and converts it); the text
   gets Markdown for the uploaded image, with a placeholder description the writer must replace. */
(function () {
  'use strict';
  var form = document.querySelector('form[action="/write"], form[action$="/edit"]');
  if (!form || !window.fetch) return;
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var body = form.querySelector('#body');

  function upload(file) {
    return fetch('/images', { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': csrf }, body: file, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().catch(function () { return { error: 'The upload failed (' + res.status + ').' }; }).then(function (json) {
          if (!res.ok) throw new Error(json.error || 'The upload failed.');
          return json;
        });
      });
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, v = textarea.value;
    var before = start > 0 && v[start - 1] !== '\n' ? '\n\n' : '';
    var chunk = before + text + '\n\n';
    textarea.value = v.slice(0, start) + chunk + v.slice(end);
    // Select the placeholder description so the writer types over it.
    var at = start + before.length + 2;
    textarea.focus();
    textarea.setSelectionRange(at, at + 'Describe the image'.length);
  }

  var insertStatus = form.querySelector('[data-insert-status]');
  function insertFiles(files) {
    var images = Array.prototype.filter.call(files, function (f) { return /^image\//.test(f.type); });
    if (!images.length) return false;
    images.forEach(function (file) {
      insertStatus.textContent = 'Uploading ' + file.name + '…';
      upload(file).then(function (json) {
        insertAtCursor(body, json.markdown);
        insertStatus.textContent = 'Image added: describe it between the brackets.';
      }).catch(function (err) { insertStatus.textContent = err.message; });
    });
    return true;
  }

  var picker = form.querySelector('[data-insert-image]');
  if (picker) picker.addEventListener('change', function () { insertFiles(picker.files); picker.value = ''; });
  body.addEventListener('paste', function (e) {
    if (e.clipboardData && e.clipboardData.files.length && insertFiles(e.clipboardData.files)) e.preventDefault();
  });
  body.addEventListener('dragover', function (e) { e.preventDefault(); });
  body.addEventListener('drop', function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length && insertFiles(e.dataTransfer.files)) e.preventDefault();
  });

  var cover = form.querySelector('[data-cover-file]');
  if (cover) {
    var status = form.querySelector('[data-cover-status]');
    cover.addEventListener('change', function () {
      var file = cover.files[0];
      if (!file) return;
      status.textContent = 'Uploading…';
      upload(file).then(function (json) {
        form.querySelector('[data-cover-id]').value = String(json.id);
        var preview = form.querySelector('[data-cover-preview]');
        if (!preview) {
          preview = document.createElement('img');
          preview.className = 'cover-preview';
          preview.alt = '';
          preview.setAttribute('data-cover-preview', '');
          cover.parentNode.insertBefore(preview, cover.parentNode.querySelector('label'));
        }
        preview.src = json.src;
        status.textContent = 'Cover image uploaded. Describe it below.';
        form.querySelector('#coverAlt').focus();
      }).catch(function (err) { status.textContent = err.message; });
    });
  }
})();

/* The publish time: the writer types it in their own time zone; the form says so and sends the
   offset. "Publish" reads "Schedule" when a time is chosen. */
(function () {
  'use strict';
  var field = document.querySelector('[data-schedule]');
  if (!field) return;
  var input = field.querySelector('#publishAt');
  var offset = field.querySelector('[data-tz-offset]');
  var help = field.querySelector('[data-tz-help]');
  var pad = function (n) { return String(n).padStart(2, '0'); };
  // A value shown in UTC by the server becomes local time.
  var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(input.value);
  if (m && input.hasAttribute('data-utc')) {
    var d = new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5]));
    input.value = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  offset.value = String(new Date().getTimezoneOffset());
  var zone = (Intl.DateTimeFormat().resolvedOptions().timeZone) || 'your time zone';
  help.textContent = help.textContent.replace('Times are in UTC.', 'Times are in your time zone (' + zone + ').');
  var button = document.querySelector('[data-publish-button]');
  var label = function () { if (button) button.textContent = input.value ? 'Schedule' : 'Publish'; };
  input.addEventListener('input', label);
  label();
})();
