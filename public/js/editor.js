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
