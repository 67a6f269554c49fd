/*
 * The console works without this script. It adds three things:
 *  - live updates: a section marked data-live-feed follows a Server-Sent Events feed and
 *    re-fetches its own HTML (data-live-fragment) when something changes;
 *  - a live Markdown preview in the draft editor (rendered by the server, same as the emails);
 *  - copy buttons for secrets and keys shown once.
 */
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Move focus to the error summary so screen-reader and keyboard users land on the problems.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // ------------------------------------------------------------------ live sections
  var EVENTS = [
    'delivery.created', 'delivery.delivered', 'delivery.retrying', 'delivery.failed', 'delivery.retry_requested',
    'acknowledgment.acknowledged', 'acknowledgment.action_answered', 'acknowledgment.actions_completed',
    'acknowledgment.cancelled', 'acknowledgment.superseded', 'acknowledgment.reminded', 'acknowledgment.escalated'
  ];

  function follow(section) {
    var feedUrl = section.getAttribute('data-live-feed');
    var fragmentUrl = section.getAttribute('data-live-fragment');
    var target = section.querySelector('[data-live-target]') || section;
    var status = section.querySelector('[data-live-status]');
    var announcer = section.querySelector('[data-live-announce]');
    if (!feedUrl || !fragmentUrl || !window.EventSource || !window.fetch) return;
    var timer = null;
    var inFlight = false;
    var again = false;

    function setStatus(state, text) {
      if (!status) return;
      status.setAttribute('data-state', state);
      status.textContent = text;
    }

    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true;
      fetch(fragmentUrl, { credentials: 'same-origin', headers: { 'x-requested-with': 'fetch' } })
        .then(function (res) {
          if (res.redirected || !res.ok) throw new Error('refresh failed: ' + res.status);
          return res.text();
        })
        .then(function (html) {
          // Keep focus where it was if it sat inside the replaced part (e.g. a retry button).
          var active = document.activeElement;
          var focusedName = active && target.contains(active) ? active.getAttribute('data-focus-key') : null;
          var before = {};
          target.querySelectorAll('[data-row-key]').forEach(function (row) { before[row.getAttribute('data-row-key')] = row.getAttribute('data-row-state'); });
          target.innerHTML = html;
          var changed = [];
          target.querySelectorAll('[data-row-key]').forEach(function (row) {
            var key = row.getAttribute('data-row-key');
            if (before[key] !== undefined && before[key] !== row.getAttribute('data-row-state')) {
              row.classList.add('flash-row');
              changed.push(row.getAttribute('data-row-label') || '');
            }
          });
          if (focusedName) {
            var again2 = target.querySelector('[data-focus-key="' + focusedName + '"]');
            if (again2) again2.focus();
          }
          if (announcer && changed.length) {
            var counts = target.querySelector('[data-live-counts]');
            announcer.textContent = 'Updated: ' + changed.join('; ') + (counts ? '. ' + counts.getAttribute('data-live-counts') : '');
          }
          section.setAttribute('data-refreshed', String(Date.now()));
        })
        .catch(function () { setStatus('error', 'Live updates paused: reload the page to see the latest.'); })
        .then(function () {
          inFlight = false;
          if (again) { again = false; refresh(); }
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    }

    var source = new EventSource(feedUrl, { withCredentials: true });
    var opened = false;
    source.onopen = function () {
      setStatus('open', 'Live: updates appear as they happen');
      // After a reconnection, catch up on anything the page may have missed.
      if (opened) schedule();
      opened = true;
    };
    source.onerror = function () { setStatus('error', 'Reconnecting to live updates…'); };
    source.onmessage = schedule;
    EVENTS.forEach(function (name) { source.addEventListener(name, schedule); });
    window.addEventListener('pagehide', function () { source.close(); });
  }
  document.querySelectorAll('[data-live-feed]').forEach(follow);

  // ------------------------------------------------------------------ Markdown preview
  document.querySelectorAll('[data-preview-source]').forEach(function (textarea) {
    var target = document.getElementById(textarea.getAttribute('data-preview-source'));
    if (!target || !window.fetch) return;
    var panel = target.closest('[data-preview-panel]');
    if (panel) panel.hidden = false;
    var timer = null;
    var last = null;
    function render() {
      var text = textarea.value;
      if (text === last) return;
      last = text;
      var body = new FormData();
      body.append('body', text);
      fetch('/console/notices/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': csrf },
        body: body
      })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.text(); })
        .then(function (html) { target.innerHTML = html || '<p class="muted">Nothing to preview yet.</p>'; })
        .catch(function () { target.innerHTML = '<p class="muted">The preview is not available right now. Use the Preview button.</p>'; });
    }
    textarea.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 400); });
    render();
  });

  // ------------------------------------------------------------------ copy buttons
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = 'Copied';
        var note = document.getElementById(button.getAttribute('data-copy') + '-copied');
        if (note) note.textContent = 'Copied to the clipboard.';
      });
    });
  });
})();
