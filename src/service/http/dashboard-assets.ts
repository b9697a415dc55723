/**
 * The dashboard's stylesheet, its script and the chart library, all served by the service itself
 * (/assets/…), so its pages can forbid every inline script and style and every other origin (CSP 'self').
 * The look is the HTML report's: its stylesheet first, then what only the dashboard has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HTML_STYLE } from '../../report/html-assets.js';

export const DASHBOARD_STYLE = `${HTML_STYLE}
header.masthead { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-end; gap: 12px; }
nav.main { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; font-size: 14px; }
nav.main a { color: var(--accent); font-weight: 600; text-decoration: none; }
nav.main a[aria-current="page"] { color: var(--ink); border-bottom: 2px solid var(--accent); }
nav.main a:hover, nav.main a:focus { text-decoration: underline; }
.who { color: var(--muted); font-size: 13px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.who form { margin: 0; }
button.action, .button { border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 5px 14px; font-size: 13.5px; font-weight: 600; text-decoration: none; display: inline-block; }
button.quiet { border: 1px solid #c9d1db; background: #fff; color: var(--accent); border-radius: 6px; padding: 3px 10px; font-size: 13px; }
button[disabled] { opacity: .6; cursor: progress; }
.error { color: var(--fail); font-size: 13.5px; margin: 8px 0 0; }
.error:empty { display: none; }
.target-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 10px; align-items: baseline; }
.chart-box { position: relative; height: 260px; }
.score dl.figures { width: 100%; }
.changes h3 { margin-top: 14px; }
.changes ul { margin: 0 0 6px; padding-left: 20px; }
.changes li { margin-bottom: 4px; }
.changes .fail a { color: var(--fail); }
.changes .pass a { color: var(--pass); }
.changes .unknown a { color: var(--unknown); }
.downloads { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 14px; }
.downloads a { color: var(--accent); font-weight: 600; }
.control-group { margin-bottom: 22px; }
.control-group > h3 { text-transform: none; letter-spacing: 0; color: var(--ink); font-size: 15px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.control-group > h3 a { color: var(--accent); font-size: 13px; font-weight: 600; }
.finding:target { outline: 3px solid var(--accent); outline-offset: 2px; }
.fix { margin-top: 10px; }
.fix h4 { margin: 8px 0 4px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.fix ol { margin: 0; padding-left: 22px; }
form.inline { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 10px 14px; align-items: end; }
form.inline label { display: flex; flex-direction: column; font-size: 12.5px; color: var(--muted); gap: 4px; }
input { font: inherit; font-size: 14px; border: 1px solid #c9d1db; border-radius: 6px; padding: 5px 8px; color: var(--ink); }
main.login { max-width: 420px; margin: 80px auto; }
main.login form { display: grid; gap: 12px; }
main.login label { display: grid; gap: 4px; color: var(--muted); font-size: 13px; }
a { color: var(--accent); }
details .evidence td:first-child { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
`;

/**
 * The dashboard's only script. It draws the charts from the data in each canvas's data-chart attribute,
 * and sends the admin forms (scan now, add or expire a suppression) to the JSON API with the header the
 * API asks of cookie-authenticated changes; the API checks the role again.
 */
export const DASHBOARD_SCRIPT = `(function () {
  'use strict';
  var COLORS = { PASS: '#2e7d4f', FAIL: '#b83a32', UNKNOWN: '#a86b12' };
  function drawCharts() {
    if (typeof Chart === 'undefined') return;
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var data = JSON.parse(canvas.getAttribute('data-chart'));
      var stacked = data.kind === 'bar';
      new Chart(canvas, {
        type: data.kind,
        data: {
          labels: data.labels,
          datasets: data.series.map(function (s) {
            return { label: s.label, data: s.values, borderColor: COLORS[s.label], backgroundColor: COLORS[s.label],
              tension: 0, pointRadius: 3, stepped: false };
          })
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } }
        }
      });
    });
  }
  function formBody(form) {
    var body = {};
    new FormData(form).forEach(function (value, key) {
      var text = String(value).trim();
      if (text === '') return;
      if (key === 'regions') body.regions = text.split(/[\\s,]+/).filter(Boolean);
      else body[key] = text;
    });
    if (form.dataset.request) Object.assign(body, JSON.parse(form.dataset.request));
    return body;
  }
  function wireForms() {
    document.querySelectorAll('form[data-api]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var button = form.querySelector('button');
        var error = form.querySelector('.error');
        if (button) button.disabled = true;
        if (error) error.textContent = '';
        fetch(form.dataset.api, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'x-trailcheck': 'dashboard' },
          body: JSON.stringify(formBody(form))
        }).then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            if (!response.ok) throw new Error(answer.error || ('the service answered ' + response.status));
            var next = form.dataset.next;
            if (next) window.location.assign(next.replace('{id}', encodeURIComponent(answer.id || '')));
            else window.location.reload();
          });
        }).catch(function (e) {
          if (button) button.disabled = false;
          if (error) error.textContent = e.message;
        });
      });
    });
  }
  drawCharts();
  wireForms();
})();
`;

let chartLibrary: string | undefined;

/** Chart.js's UMD build, from the installed package (a dependency), read once. */
export function chartJs(): string {
  if (chartLibrary === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartLibrary = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  }
  return chartLibrary;
}
