/* The account page's profile form: a chosen picture is sent as it is to POST /images (the site
   checks and converts it, as for an article's images); its id goes into the form, saved with
   "Save profile". */
(function () {
  'use strict';
  var form = document.querySelector('[data-profile-form]');
  var file = form && form.querySelector('[data-avatar-file]');
  if (!file || !window.fetch) return;
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var status = form.querySelector('[data-avatar-status]');
  file.addEventListener('change', function () {
    var picked = file.files[0];
    if (!picked) return;
    status.textContent = 'Uploading…';
    fetch('/images', { method: 'POST', headers: { 'content-type': picked.type || 'application/octet-stream', 'x-csrf-token': csrf }, body: picked, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().catch(function () { return { error: 'The upload failed (' + res.status + ').' }; }).then(function (json) {
          if (!res.ok) throw new Error(json.error || 'The upload failed.');
          return json;
        });
      })
      .then(function (json) {
        form.querySelector('[data-avatar-id]').value = String(json.id);
        var remove = form.querySelector('[data-avatar-remove]');
        if (remove) remove.checked = false;
        var img = document.createElement('img');
        img.className = 'avatar avatar-lg';
        img.alt = '';
        img.width = 96;
        img.height = 96;
        img.src = '/images/' + json.id + '/320.webp';
        var preview = form.querySelector('[data-avatar-preview]');
        preview.replaceChildren(img);
        status.textContent = 'Picture uploaded. Save your profile to use it.';
      })
      .catch(function (err) { status.textContent = err.message; });
  });
})();
