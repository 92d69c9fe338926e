// Mediateka: small enhancements. Every page works without this script.
//  - the search box offers completions from /api/suggest (ARIA 1.2 combobox with a listbox);
//  - on an item page, times in the chapters and transcript seek the player in place,
//    ?t= starts the player there (?t=START,END also stops it at END, here and in the embed),
//    "Kopiuj link do tej chwili" copies a link to the moment, and "Udostępnij fragment"
//    a link of a clip or the <iframe> of its embed;
//  - on a desk job's page (/biblioteka/zadania/ID), the state and progress follow
//    GET /api/admin/jobs/ID in place (without the script, the page reloads itself).
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

  // "93", "93.5", "1:33", "1:02:03" → seconds; NaN for anything else.
  function parseClock(text) {
    var parts = String(text).trim().split(':');
    if (parts.length > 3) return NaN;
    var seconds = 0;
    for (var i = 0; i < parts.length; i++) {
      var last = i === parts.length - 1;
      if (!(last ? /^\d+(\.\d*)?$/ : /^\d+$/).test(parts[i])) return NaN;
      seconds = seconds * 60 + parseFloat(parts[i]);
    }
    return seconds;
  }
  // Seconds as the page writes them: "1:05", "1:02:03".
  function clock(seconds) {
    var total = Math.floor(Math.max(0, seconds)), h = Math.floor(total / 3600);
    var m = Math.floor(total / 60) % 60, s = total % 60;
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return h ? h + ':' + pad(m) + ':' + pad(s) : pad(m) + ':' + pad(s);
  }

  // A clip (data-end, from ?t=START,END) pauses at its end once; seeking elsewhere by hand
  // (a transcript link) ends the clip. The source's media fragment (#t=START,END) stops it
  // without the script; with it, the fragment keeps only START, or the browser would stop it
  // at END a second time when the visitor plays on.
  function setupClipEnd(media) {
    var end = parseFloat(media.getAttribute('data-end'));
    if (!(end > 0)) return function () {};
    var source = media.getAttribute('src') || '';
    if (/#t=[^,]*,/.test(source)) media.setAttribute('src', source.replace(/(#t=[^,]*),.*$/, '$1'));
    var done = false, frame = 0;
    function check() {
      frame = 0;
      if (done) return;
      if (media.currentTime >= end - 0.05) {
        done = true;
        media.pause();
        media.currentTime = end;
        return;
      }
      if (!media.paused) frame = requestAnimationFrame(check);
    }
    media.addEventListener('timeupdate', check);
    media.addEventListener('play', function () { if (!frame) frame = requestAnimationFrame(check); });
    return function () { done = true; };
  }

  function copyText(text, status, what) {
    var done = function () { status.textContent = 'Skopiowano ' + what + ': ' + text; };
    var fallback = function () { status.textContent = 'Skopiuj ' + what + ': ' + text; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  // "Udostępnij fragment": a link of START,END and an <iframe> of the embed.
  function setupShare(media, status) {
    var share = document.getElementById('udostepnij');
    if (!share) return;
    share.hidden = false;
    var from = document.getElementById('fragment-od'), to = document.getElementById('fragment-do');
    share.querySelectorAll('button[data-take]').forEach(function (button) {
      button.addEventListener('click', function () {
        document.getElementById(button.getAttribute('data-take')).value = clock(media.currentTime || 0);
      });
    });
    // The range as ?t= writes it, or null (and a message) when it is not one.
    function range(optional) {
      var start = parseClock(from.value), end = parseClock(to.value);
      if (optional && from.value.trim() === '' && to.value.trim() === '') return '';
      if (isNaN(start) || isNaN(end)) {
        status.textContent = 'Podaj początek i koniec fragmentu, np. 1:30 i 2:05.';
        (isNaN(start) ? from : to).focus();
        return null;
      }
      if (end <= start) {
        status.textContent = 'Koniec fragmentu musi być później niż jego początek.';
        to.focus();
        return null;
      }
      return Math.floor(start) + ',' + (Math.round(end * 1000) / 1000);
    }
    document.getElementById('kopiuj-fragment').addEventListener('click', function () {
      var t = range(false);
      if (t !== null) copyText(location.origin + location.pathname + '?t=' + t, status, 'link');
    });
    document.getElementById('kopiuj-osadzenie').addEventListener('click', function () {
      var t = range(true);
      if (t === null) return;
      var src = location.origin + location.pathname + '/embed' + (t ? '?t=' + t : '');
      var title = (document.querySelector('h1') || {}).textContent || 'Nagranie';
      var code = '<iframe src="' + src + '" title="' +
        (title + ' – Mediateka').replace(/&/g, '&amp;').replace(/"/g, '&quot;') +
        '" width="640" height="' + (media.tagName === 'AUDIO' ? 160 : 400) +
        '" allow="fullscreen" loading="lazy"></iframe>';
      copyText(code, status, 'kod');
    });
  }

  // The transcript beside the player: the cue being played is marked (and kept in view inside
  // the list, unless the visitor is working in it), typing in its search box filters the cues,
  // and ticking cues makes a ?t=START,END link of the clip they span.
  function setupTranscript(media) {
    var list = document.getElementById('lista-transkrypcji');
    if (!list) return;
    var cues = Array.prototype.slice.call(list.querySelectorAll('li[data-start]'));
    var status = document.getElementById('transkrypcja-status');
    var current = null;
    function mark() {
      var t = media.currentTime || 0, found = null;
      for (var i = 0; i < cues.length; i++) {
        var start = parseFloat(cues[i].getAttribute('data-start'));
        var end = parseFloat(cues[i].getAttribute('data-end'));
        if (t >= start && t < end) { found = cues[i]; break; }
      }
      if (found === current) return;
      list.querySelectorAll('li.current').forEach(function (li) {
        li.classList.remove('current');
        li.removeAttribute('aria-current');
      });
      current = found;
      if (!found) return;
      found.classList.add('current');
      found.setAttribute('aria-current', 'true');
      if (!list.contains(document.activeElement)) {
        var top = found.offsetTop - list.offsetTop;
        if (top < list.scrollTop || top + found.offsetHeight > list.scrollTop + list.clientHeight) {
          list.scrollTop = Math.max(0, top - list.clientHeight / 3);
        }
      }
    }
    media.addEventListener('timeupdate', mark);
    media.addEventListener('seeked', mark);

    var search = document.getElementById('szukaj-transkrypcja');
    if (search) {
      var timer = 0;
      search.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var words = search.value.trim().toLocaleLowerCase('pl').split(/\s+/).filter(Boolean);
          var shown = 0;
          cues.forEach(function (li) {
            var text = li.querySelector('.cue-text').textContent.toLocaleLowerCase('pl');
            var hit = words.every(function (word) { return text.indexOf(word) >= 0; });
            li.classList.toggle('filtered-out', words.length > 0 && !hit);
            if (hit) shown++;
          });
          status.textContent = !words.length ? '' : shown
            ? 'Pokazano ' + shown + ' z ' + cues.length + ' wypowiedzi zawierających szukane słowa.'
            : 'Tych słów nie ma w transkrypcji.';
        }, 250);
      });
    }

    var result = document.getElementById('fragment'), link = document.getElementById('link-fragmentu');
    var make = document.getElementById('utworz-fragment');
    var copy = document.getElementById('kopiuj-link-fragmentu');
    if (!result || !link) return;
    if (make) make.hidden = true;
    if (copy) {
      copy.hidden = false;
      copy.addEventListener('click', function () {
        copyText(link.href, document.getElementById('kopiuj-status') || status, 'link');
      });
    }
    function update() {
      var start = Infinity, end = -Infinity;
      cues.forEach(function (li) {
        var box = li.querySelector('input[type="checkbox"]');
        li.classList.toggle('selected', box.checked);
        if (!box.checked) return;
        start = Math.min(start, Math.floor(parseFloat(li.getAttribute('data-start'))));
        end = Math.max(end, parseFloat(li.getAttribute('data-end')));
      });
      if (start === Infinity) {
        result.hidden = true;
        return;
      }
      var url = location.origin + location.pathname + '?t=' + start + ',' + (Math.round(end * 1000) / 1000);
      link.href = url;
      link.textContent = url;
      result.hidden = false;
    }
    list.addEventListener('change', update);
    update();
  }

  function setupPlayer() {
    var media = document.getElementById('odtwarzacz');
    if (!media) return;
    var endClip = setupClipEnd(media);
    setupTranscript(media);
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
      endClip();
      // A transcript cue seeks to its exact start (its link's ?t= is the whole second before it,
      // which may still be the previous cue).
      var exact = link.parentNode.getAttribute && link.parentNode.getAttribute('data-start');
      media.currentTime = parseFloat(exact || link.getAttribute('data-t')) || 0;
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
      copyText(location.origin + location.pathname + '?t=' + Math.floor(media.currentTime || 0),
               status, 'link');
    });
    setupShare(media, status);
  }

  var JOB_STATES = {queued: 'w kolejce', running: 'w toku', done: 'zakończone', failed: 'nieudane'};

  function followJob() {
    var section = document.querySelector('[data-job]');
    if (!section || !window.fetch) return;
    var state = section.getAttribute('data-state');
    if (state !== 'queued' && state !== 'running') return;
    var id = section.getAttribute('data-job');
    var badge = section.querySelector('.job-state .state');
    var progress = section.querySelector('.job-progress');
    var waiting = section.querySelector('.job-waiting');
    var refresh = section.querySelector('.job-refresh');
    if (refresh) refresh.textContent = 'Stan zadania odświeża się sam.';
    function poll() {
      fetch('/api/admin/jobs/' + encodeURIComponent(id), {credentials: 'same-origin'})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) return;
          if (job.state === 'done' || job.state === 'failed') {
            location.reload();  // the report is drawn by the server
            return;
          }
          if (job.state !== state) {
            state = job.state;
            section.setAttribute('data-state', state);
            badge.className = 'state state-' + state;
            badge.textContent = JOB_STATES[state] || state;
          }
          var text = job.progress.done + ' z ' + job.progress.total;
          if (progress.textContent !== text) progress.textContent = text;
          waiting.hidden = !job.waiting;
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }

  function ready() {
    followJob();
    setupSuggest();
    foldFilters();
    setupPlayer();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
