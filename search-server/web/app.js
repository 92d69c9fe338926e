// Mediateka: small enhancements. Every page works without this script.
//  - the search box offers completions from /api/suggest (ARIA 1.2 combobox with a listbox);
//  - on an item page, times in the chapters and transcript seek the player in place,
//    ?t= starts the player there, and "Kopiuj link do tej chwili" copies a link to the moment.
(function () {
  'use strict';

  function plural(n, one, few, many) {
    if (n === 1) return one;
    var units = n % 10, tens = n % 100;
    return units >= 2 && units <= 4 && !(tens >= 12 && tens <= 14) ? few : many;
  }

  function setupSuggest() {
    var form = document.querySelector('form[data-suggest]');
    var input = form && form.querySelector('input[name="q"]');
    if (!input || !window.fetch) return;
    var combo = input.parentNode;
    var list = document.createElement('ul');
    list.id = 'q-podpowiedzi';
    list.className = 'suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Podpowiedzi');
    list.hidden = true;
    combo.appendChild(list);
    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    combo.appendChild(status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    var options = [], active = -1, timer = 0, requested = '', controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute('aria-selected', i === index ? 'true' : 'false');
      });
      if (index >= 0) {
        input.setAttribute('aria-activedescendant', list.children[index].id);
        list.children[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function choose(index) {
      input.value = options[index];
      close();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
    function show(suggestions) {
      options = suggestions;
      list.textContent = '';
      suggestions.forEach(function (text, i) {
        var li = document.createElement('li');
        li.id = 'q-podpowiedz-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = text;
        li.addEventListener('mousedown', function (event) { event.preventDefault(); });
        li.addEventListener('click', function () { choose(i); });
        list.appendChild(li);
      });
      active = -1;
      if (suggestions.length === 0) {
        close();
        status.textContent = '';
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = suggestions.length + ' ' +
        plural(suggestions.length, 'podpowiedź', 'podpowiedzi', 'podpowiedzi') +
        '. Wybierz strzałkami w górę i w dół.';
    }
    function fetchSuggestions() {
      var prefix = input.value.trim();
      if (prefix === requested) return;
      requested = prefix;
      if (controller) controller.abort();
      if (prefix.length < 2) { show([]); return; }
      controller = window.AbortController ? new AbortController() : null;
      fetch(form.getAttribute('data-suggest') + '?limit=8&q=' + encodeURIComponent(prefix),
            controller ? { signal: controller.signal } : {})
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) {
          if (document.activeElement === input && prefix === input.value.trim()) {
            show(body.suggestions || []);
          }
        })
        .catch(function () {});
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener('keydown', function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === 'ArrowDown') {
        if (!open) { requested = ''; fetchSuggestions(); return; }
        event.preventDefault();
        highlight(active + 1 >= options.length ? 0 : active + 1);
      } else if (event.key === 'ArrowUp' && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === 'Enter' && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape' && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  }

  // On narrow screens the filters are folded, so the results come first into view.
  function foldFilters() {
    var panel = document.querySelector('.filter-panel');
    if (panel && window.matchMedia && window.matchMedia('(max-width: 49.99rem)').matches) {
      panel.open = false;
    }
  }

  function setupPlayer() {
    var media = document.getElementById('odtwarzacz');
    if (!media) return;
    var start = parseFloat(media.getAttribute('data-start'));
    if (start > 0) {
      var seekToStart = function () {
        if (Math.abs(media.currentTime - start) > 0.5) media.currentTime = start;
      };
      if (media.readyState >= 1) seekToStart();
      else media.addEventListener('loadedmetadata', seekToStart, { once: true });
    }

    document.addEventListener('click', function (event) {
      var link = event.target.closest ? event.target.closest('a.seek') : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
          event.altKey) return;
      event.preventDefault();
      media.currentTime = parseFloat(link.getAttribute('data-t')) || 0;
      var playing = media.play();
      if (playing && playing.catch) playing.catch(function () {});
      if (window.history && history.replaceState) history.replaceState(null, '', link.href);
      var rect = media.getBoundingClientRect();
      if (rect.bottom < 0 || rect.top > window.innerHeight) media.scrollIntoView({ block: 'nearest' });
      document.querySelectorAll('.transcript li.current, .chapters li.current').forEach(function (li) {
        li.classList.remove('current');
      });
      link.parentNode.classList.add('current');
    });

    var button = document.getElementById('kopiuj-chwile');
    var status = document.getElementById('kopiuj-status');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var url = location.origin + location.pathname + '?t=' + Math.floor(media.currentTime || 0);
      var done = function () { status.textContent = 'Skopiowano link: ' + url; };
      var fallback = function () { status.textContent = 'Skopiuj ten link: ' + url; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  function ready() {
    setupSuggest();
    foldFilters();
    setupPlayer();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
