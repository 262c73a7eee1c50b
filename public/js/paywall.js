// Enhances the invoice panel: copy button, expiry countdown, WebLN, and the live unlock over
// Server-Sent Events; and the upvote form (a zap), whose invoice panel it swaps in without leaving
// the page. Without JavaScript both still work: "I've paid – check", and the form's own post.
(function () {
  'use strict';
  var source = null;
  var timer = null;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function withQuery(url, query) { return url + (url.indexOf('?') < 0 ? '?' : '&') + query; }

  // Puts the article of a server-rendered page in place of the current one; false when it has none.
  function showArticleOf(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var fresh = $('article.article', doc);
    var current = $('article.article');
    if (!fresh || !current) return false;
    current.replaceWith(fresh);
    init();
    return true;
  }

  // Replaces the article with a fresh server render of `url` (the server decides what is shown).
  function swapArticle(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        if (!showArticleOf(html)) return;
        // Tell assistive technology where the reader now is, without scrolling the page away: the
        // upvote's confirmation where its panel was, else the article's heading.
        var received = $('[data-upvote-received]');
        var heading = $('article.article h1');
        if (received) received.focus({ preventScroll: true });
        else if (heading && !$('[data-paywall]')) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
      });
  }

  // The upvote form, posted in the background: the server answers with the article page showing the
  // upvote's invoice panel (or why it refused), which takes the place of the current one.
  function enhanceUpvoteForm() {
    var form = $('[data-upvote-form]');
    if (!form || !window.fetch || !window.URLSearchParams) return;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var button = event.submitter;
      if (button && button.name) data.append(button.name, button.value);
      var buttons = form.querySelectorAll('button');
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(data).toString(),
      })
        .then(function (res) {
          return res.text().then(function (html) {
            if (!showArticleOf(html)) {
              // Anything but the article page: a page of its own (logged out) is opened; an error page
              // (the node down) takes the content's place, as the form's own post would show it.
              var doc = new DOMParser().parseFromString(html, 'text/html');
              var main = $('main', doc), current = $('main');
              if (res.ok || !main || !current) window.location.assign(res.url);
              else { current.replaceWith(main); document.title = doc.title; }
              return;
            }
            if (window.history && history.replaceState) history.replaceState(null, '', res.url);
            var target = $('[data-paywall] h2') || $('#upvote-error') || $('#upvote-heading');
            if (target) {
              target.setAttribute('tabindex', '-1');
              target.focus({ preventScroll: true });
              target.scrollIntoView({ block: 'nearest' });
            }
          });
        }, function () { form.submit(); }); // the network failed before an answer: post the form itself
    });
  }

  function init() {
    if (timer) { clearInterval(timer); timer = null; }
    enhanceUpvoteForm();
    var panel = $('[data-paywall]');
    if (!panel) { if (source) { source.close(); source = null; } return; }
    var articleId = panel.getAttribute('data-article-id');
    // The page to re-render and the event stream to follow (an upvote's panel has its own).
    var pageUrl = panel.getAttribute('data-page-url') || '/articles/' + articleId;
    var eventsUrl = panel.getAttribute('data-events-url') || '/articles/' + articleId + '/events';
    var pr = panel.getAttribute('data-payment-request');
    var status = $('[data-live-status]', panel);
    // `state` is one of waiting, paid, expired: site.css draws it, the words say it.
    var say = function (text, state) {
      if (status) status.textContent = text;
      if (state) panel.setAttribute('data-state', state);
    };

    // The live unlock is on: say so, instead of the no-JavaScript instruction.
    if (window.EventSource) {
      var live = $('[data-live-only]', panel), noLive = $('[data-no-live]', panel);
      if (live) live.hidden = false;
      if (noLive) noLive.hidden = true;
    }

    var copy = $('[data-copy]', panel);
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener('click', function () {
        navigator.clipboard.writeText(pr).then(function () {
          $('[data-copy-status]', panel).textContent = 'Invoice copied.';
        });
      });
    }

    var expiresAt = Date.parse(panel.getAttribute('data-expires-at') || '');
    var countdown = $('[data-countdown]', panel);
    if (countdown && !isNaN(expiresAt)) {
      var tick = function () {
        var left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
        var m = Math.floor(left / 60), s = left % 60;
        countdown.textContent = 'in ' + m + ':' + (s < 10 ? '0' : '') + s;
        countdown.setAttribute('aria-label', 'in ' + m + ' minutes ' + s + ' seconds');
        if (left === 0) {
          clearInterval(timer); timer = null;
          say('This invoice expired. Fetching a fresh one…', 'expired');
          swapArticle(pageUrl);
        }
      };
      tick();
      timer = setInterval(tick, 1000);
    }

    var weblnButton = $('[data-webln]', panel);
    if (weblnButton && window.webln) {
      weblnButton.hidden = false;
      weblnButton.addEventListener('click', function () {
        say('Waiting for your wallet…');
        window.webln.enable()
          .then(function () { return window.webln.sendPayment(pr); })
          // A preimage from the wallet is only a hint: the node's word decides, so check at once.
          .then(function () { say('Payment sent. Checking…'); return swapArticle(withQuery(pageUrl, 'check=true')); })
          .catch(function (err) { say('The wallet did not pay: ' + (err && err.message ? err.message : 'cancelled') + '.'); });
      });
    }

    if (!source && window.EventSource) {
      source = new EventSource(eventsUrl);
      source.addEventListener('complete', function () {
        source.close(); source = null;
        say(panel.getAttribute('data-paid-text') || 'Payment received. Unlocking…', 'paid');
        // The fresh render says "Payment received" too (?paid=live), as the no-JavaScript check does.
        swapArticle(withQuery(pageUrl, 'paid=live')).then(function () {
          if (window.history && history.replaceState) history.replaceState(null, '', pageUrl);
        });
      });
    }
  }

  init();
})();
