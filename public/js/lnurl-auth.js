// LNURL-auth waiting page: when the wallet has approved (the server says so over Server-Sent Events,
// as the paywall hears of payments), the page posts its form by itself. Without JavaScript the
// reader presses the button instead.
(function () {
  'use strict';
  var form = document.querySelector('[data-lnurl-wait]');
  if (!form || !window.EventSource) return;
  var status = form.querySelector('[data-lnurl-status]');
  var source = new EventSource(form.getAttribute('data-events-url'));
  source.addEventListener('verified', function () {
    source.close();
    if (status) status.textContent = 'Approved by your wallet. Logging you in…';
    form.submit();
  });
  source.addEventListener('expired', function () {
    source.close();
    if (status) status.textContent = 'This code has expired. Reload the page for a new one.';
  });
})();
