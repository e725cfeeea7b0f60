// windowpane dashboard: reads /api/snapshot once, then follows /api/events (Server-Sent Events).
// Every name and number from the data goes into the page as text (textContent), never as markup.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const CHART = { width: 640, height: 220, left: 52, right: 12, top: 12, bottom: 24 };
  const HEALTH = [
    ['eventsRead', 'events read'],
    ['deadLetters', 'dead letters'],
    ['lateEventsDropped', 'late events dropped'],
    ['windowsEmitted', 'windows emitted'],
    ['sessionsEmitted', 'sessions emitted'],
  ];

  let latest = null;
  let receivedAt = 0;
  let paused = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function instant(iso) {
    return iso ? iso.replace('T', ' ').replace(/Z$/, ' UTC') : '–';
  }

  function timeElement(iso) {
    const node = el('time', null, instant(iso));
    node.dateTime = iso;
    return node;
  }

  function number(value) {
    if (value === null || value === undefined) return '–';
    if (typeof value === 'number' && !Number.isInteger(value)) {
      return value.toLocaleString('en', { maximumFractionDigits: 2 });
    }
    return value.toLocaleString('en');
  }

  function duration(millis) {
    if (millis === null || millis === undefined) return '–';
    const sign = millis < 0 ? '-' : '';
    let s = Math.abs(millis) / 1000;
    if (s < 60) return sign + s.toFixed(1) + ' s';
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s = Math.floor(s - m * 60);
    if (d > 0) return sign + d + ' d ' + h + ' h';
    if (h > 0) return sign + h + ' h ' + m + ' min';
    return sign + m + ' min ' + s + ' s';
  }

  function changeCell(row) {
    const cell = el('td', 'change ' + row.change);
    if (row.change === 'up') {
      cell.textContent = '▲ ' + row.places;
      cell.title = 'up ' + row.places + (row.places === 1 ? ' place' : ' places') + ' since the window before';
    } else if (row.change === 'down') {
      cell.textContent = '▼ ' + row.places;
      cell.title = 'down ' + row.places + (row.places === 1 ? ' place' : ' places') + ' since the window before';
    } else if (row.change === 'new') {
      cell.textContent = 'new';
      cell.title = 'not ranked in the window before';
    } else {
      cell.textContent = '=';
      cell.title = 'same rank as in the window before';
    }
    return cell;
  }

  function rankingTable(ranking) {
    const table = el('table', 'ranking-table');
    const head = table.createTHead().insertRow();
    for (const [text, className] of [['rank', 'num'], [ranking.nameField, ''], [ranking.totalField, 'num'],
      ['share of #1', ''], ['change', '']]) {
      const th = el('th', className, text);
      th.scope = 'col';
      head.appendChild(th);
    }
    const body = table.createTBody();
    const top = ranking.rows.length > 0 ? Math.max(...ranking.rows.map((row) => row.total)) : 0;
    for (const row of ranking.rows) {
      const tr = body.insertRow();
      tr.appendChild(el('td', 'rank', row.rank));
      tr.appendChild(el('td', 'name', row.name));
      tr.appendChild(el('td', 'total', row.total));
      const bar = el('td', 'bar');
      const fill = el('span', 'bar-fill');
      // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
      fill.style.width = (top > 0 ? (100 * row.total) / top : 0).toFixed(1) + '%';
      bar.appendChild(fill);
      tr.appendChild(bar);
      tr.appendChild(changeCell(row));
    }
    const scroll = el('div', 'scroll');
    scroll.tabIndex = 0;
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('aria-label', ranking.title + ', newest window');
    scroll.appendChild(table);
    return scroll;
  }

  function historyChart(ranking) {
    const history = ranking.history;
    const n = history.windowEnds.length;
    let max = 0;
    for (const series of history.series) for (const total of series.totals) if (total !== null) max = Math.max(max, total);
    const w = CHART.width - CHART.left - CHART.right;
    const h = CHART.height - CHART.top - CHART.bottom;
    const x = (i) => CHART.left + (n > 1 ? (i * w) / (n - 1) : w / 2);
    const y = (v) => CHART.top + (max > 0 ? (1 - v / max) * h : h);
    const chart = svg('svg', { viewBox: '0 0 ' + CHART.width + ' ' + CHART.height, class: 'chart', role: 'img' });
    const title = svg('title');
    title.textContent = 'Totals of the current top ' + history.series.length + ' over the last ' + n + ' windows';
    chart.appendChild(title);
    chart.setAttribute('aria-label', title.textContent);
    chart.appendChild(svg('line', { x1: CHART.left, y1: CHART.top + h, x2: CHART.left + w, y2: CHART.top + h, class: 'axis' }));
    chart.appendChild(svg('line', { x1: CHART.left, y1: CHART.top, x2: CHART.left, y2: CHART.top + h, class: 'axis' }));
    const label = (text, attributes) => {
      const node = svg('text', attributes);
      node.textContent = text;
      chart.appendChild(node);
    };
    label(number(max), { x: CHART.left - 6, y: CHART.top + 4, 'text-anchor': 'end' });
    label('0', { x: CHART.left - 6, y: CHART.top + h, 'text-anchor': 'end' });
    if (n > 0) {
      label(instant(history.windowEnds[0]).slice(11, 19), { x: CHART.left, y: CHART.height - 6 });
      label(instant(history.windowEnds[n - 1]).slice(11, 19), { x: CHART.left + w, y: CHART.height - 6, 'text-anchor': 'end' });
    }
    history.series.forEach((series, index) => {
      let path = '';
      let drawing = false;
      series.totals.forEach((total, i) => {
        if (total === null) {
          drawing = false;
          return;
        }
        path += (drawing ? ' L ' : ' M ') + x(i).toFixed(1) + ' ' + y(total).toFixed(1);
        drawing = true;
      });
      if (path) {
        const group = svg('g', { class: 'series s' + (index % 10) });
        const name = svg('title');
        name.textContent = series.name;
        group.appendChild(name);
        group.appendChild(svg('path', { d: path.trim() }));
        series.totals.forEach((total, i) => {
          if (total !== null) group.appendChild(svg('circle', { cx: x(i).toFixed(1), cy: y(total).toFixed(1), r: 2.5 }));
        });
        chart.appendChild(group);
      }
    });
    const legend = el('ul', 'legend');
    history.series.forEach((series, index) => {
      const item = el('li', 's' + (index % 10));
      item.appendChild(el('span', null, series.name));
      legend.appendChild(item);
    });
    const figure = document.createDocumentFragment();
    figure.appendChild(chart);
    figure.appendChild(legend);
    return figure;
  }

  function rankingArticle(ranking) {
    const article = el('article', 'ranking');
    article.dataset.pipeline = ranking.pipeline;
    article.dataset.windowStart = ranking.windowStart;
    article.dataset.windowEnd = ranking.windowEnd;
    article.dataset.pane = String(ranking.pane);
    article.setAttribute('aria-label', ranking.title);
    article.appendChild(el('h2', null, ranking.title));
    const range = el('p', 'window');
    range.appendChild(document.createTextNode('Window '));
    range.appendChild(timeElement(ranking.windowStart));
    range.appendChild(document.createTextNode(' – '));
    range.appendChild(timeElement(ranking.windowEnd));
    range.appendChild(document.createTextNode(', arrived ' + new Date(ranking.arrivedAt).toLocaleTimeString()));
    if (ranking.pane > 0) {
      range.appendChild(document.createTextNode(' '));
      range.appendChild(el('span', 'late', '(late refinement ' + ranking.pane + ')'));
    }
    article.appendChild(range);
    article.appendChild(rankingTable(ranking));
    article.appendChild(el('h3', null, 'History: the current top over the last ' + ranking.history.windowEnds.length + ' windows'));
    article.appendChild(historyChart(ranking));
    return article;
  }

  function figures(list, entries) {
    list.replaceChildren();
    for (const [term, value, warn] of entries) {
      const item = el('div');
      item.appendChild(el('dt', null, term));
      item.appendChild(el('dd', warn ? 'warn' : null, value));
      list.appendChild(item);
    }
  }

  function renderSessions(sessions) {
    const section = document.getElementById('sessions');
    section.hidden = sessions === null;
    document.getElementById('sessions-link').hidden = sessions === null;
    if (sessions === null) return;
    figures(document.getElementById('session-averages'), [
      ['finished sessions', number(sessions.count)],
      ['events per session', number(sessions.averageEvents)],
      ['value per event', number(sessions.averageValue)],
      ['session length', duration(sessions.averageSeconds === null ? null : sessions.averageSeconds * 1000)],
    ]);
    const body = document.querySelector('#session-table tbody');
    body.replaceChildren();
    for (const session of sessions.recent) {
      const tr = body.insertRow();
      tr.appendChild(el('td', 'name', session.session));
      tr.appendChild(el('td', 'num', session.events));
      tr.appendChild(el('td', 'num', number(session.total)));
      tr.appendChild(el('td', 'num', number(session.average)));
      tr.appendChild(el('td', null, instant(session.first)));
      tr.appendChild(el('td', null, instant(session.last)));
    }
  }

  function renderHealth() {
    if (latest === null) return;
    const health = latest.health;
    const entries = [];
    for (const [field, term] of HEALTH) {
      if (field === 'sessionsEmitted' && latest.sessions === null) continue;
      if (field === 'windowsEmitted' && latest.rankings.length === 0 && latest.sessions !== null) continue;
      entries.push([term, number(health[field]), (field === 'deadLetters' || field === 'lateEventsDropped') && health[field] > 0]);
    }
    const lag = health.eventTimeLagMillis === null ? null : health.eventTimeLagMillis + (Date.now() - receivedAt);
    entries.push(['event-time lag', duration(lag)]);
    figures(document.getElementById('health-figures'), entries);
    document.getElementById('health-note').textContent =
      (health.countedBy === 'lines'
        ? 'Counted from the result lines read (the pipeline\'s own counters are not in its output).'
        : 'The run\'s own counters.') +
      ' Event-time lag: how far the newest window\'s end is behind this machine\'s clock (meaningful for live sources).' +
      (latest.finished ? ' Finished: ' + latest.finished + '.' : '');
  }

  function render() {
    if (latest === null) return;
    document.getElementById('source').textContent = latest.source;
    const rankings = document.getElementById('rankings');
    for (const old of rankings.querySelectorAll('article.ranking')) old.remove();
    document.getElementById('no-rankings').hidden = latest.rankings.length > 0 || latest.sessions !== null;
    for (const ranking of latest.rankings) rankings.appendChild(rankingArticle(ranking));
    renderSessions(latest.sessions);
    renderHealth();
  }

  function show(snapshot) {
    latest = snapshot;
    receivedAt = Date.now();
    if (!paused) render();
  }

  function status(text, className) {
    const node = document.getElementById('status');
    node.textContent = text;
    node.className = 'status ' + className;
  }

  document.getElementById('pause').addEventListener('click', (event) => {
    paused = !paused;
    event.currentTarget.setAttribute('aria-pressed', String(paused));
    event.currentTarget.textContent = paused ? 'Resume updates' : 'Pause updates';
    if (!paused) render();
  });

  fetch('/api/snapshot', { cache: 'no-store' })
    .then((response) => response.json())
    .then((snapshot) => { if (latest === null) show(snapshot); })
    .catch(() => status('no data', 'down'));

  const events = new EventSource('/api/events');
  events.addEventListener('snapshot', (event) => show(JSON.parse(event.data)));
  events.addEventListener('open', () => status('live', 'live'));
  events.addEventListener('error', () => status(events.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…', 'down'));
  setInterval(() => { if (!paused) renderHealth(); }, 1000);
})();
