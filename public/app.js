/* Progressive enhancement only: every page works without this file. */
(function () {
  'use strict';
  // Forms marked data-once disable their submit button after the first submit (double clicks).
  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute('data-once')) return;
      if (form.getAttribute('data-submitted') === '1') {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-submitted', '1');
    },
    true,
  );
  // A page restored by Back from the back/forward cache keeps its DOM, flag included: without
  // this, Start the reservation would silently do nothing after going back to the calendar.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    var forms = document.querySelectorAll('form[data-submitted]');
    for (var i = 0; i < forms.length; i++) forms[i].removeAttribute('data-submitted');
  });
  // An htmx form whose answer did not replace it (an error shown in the message area) may be sent again.
  document.addEventListener('htmx:afterRequest', function (event) {
    var el = event.detail && event.detail.elt;
    var form = el && el.closest ? el.closest('form[data-submitted]') : null;
    if (form) form.removeAttribute('data-submitted');
  });
  // Elements with data-confirm ask before a destructive action.
  document.addEventListener(
    'click',
    function (event) {
      var el = event.target && event.target.closest ? event.target.closest('[data-confirm]') : null;
      if (el && !window.confirm(el.getAttribute('data-confirm'))) event.preventDefault();
    },
    true,
  );
})();
