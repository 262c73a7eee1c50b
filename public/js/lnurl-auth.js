// LNURL-auth waiting page: when the wallet has approved (the server says so over Server-Sent Events,
// as the paywall hears of payments), the page posts its form by itself. Without JavaScript the
// reader presses the button instead.
(function () {
  'use strict';
  var form = document.querySelector('[data-lnurl-wait]');
  if (!form || !window.EventSource) return;
  var status = form.querySelector('[data-lnurl-status]');
  var done = false;
  var attempts = 0;
  function listen() {
    var source = new EventSource(form.getAttribute('data-events-url'));
    source.addEventListener('verified', function () {
      done = true;
      source.close();
      if (status) status.textContent = 'Approved by your wallet. Logging you in…';
      form.submit();
    });
    source.addEventListener('expired', function () {
      done = true;
      source.close();
      if (status) status.textContent = 'This code has expired. Reload the page for a new one.';
    });
    // A stream the browser gave up on (an answer other than 200, e.g. the page's session not yet
    // stored when the stream was opened) is opened again a little later: the server then tells at
    // once whether the wallet approved in the meantime.
    source.addEventListener('error', function () {
      if (done || source.readyState !== EventSource.CLOSED || attempts >= 30) return;
      attempts += 1;
      setTimeout(listen, 2000);
    });
  }
  listen();
})();
