/**
 * The HTML report's stylesheet and script, inlined into every report so it works offline and by e-mail.
 * Both are constants (no user data), which is what lets the page's Content-Security-Policy allow exactly
 * these two by hash and nothing else: even a missed escape could not run a script.
 */

export const HTML_STYLE = `
:root {
  --ink: #1f2933; --muted: #5f6b7a; --line: #e3e7ec; --paper: #ffffff; --canvas: #f5f7f9;
  --accent: #2f5d8a; --pass: #2e7d4f; --fail: #b83a32; --unknown: #a86b12; --suppressed: #6d5fa6;
  --na: #8a94a3; --pass-bg: #e8f4ec; --fail-bg: #fbeceb; --unknown-bg: #fbf1e0; --suppressed-bg: #efedf8;
  --na-bg: #eef0f3;
}
* { box-sizing: border-box; }
html { background: var(--canvas); }
body {
  margin: 0; color: var(--ink); background: var(--canvas);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 1080px; margin: 0 auto; padding: 32px 24px 48px; }
header.masthead { border-bottom: 1px solid var(--line); padding-bottom: 18px; margin-bottom: 24px; }
.eyebrow { color: var(--accent); font-size: 12px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; }
h1 { font-size: 26px; line-height: 1.25; margin: 6px 0 8px; font-weight: 650; }
h2 { font-size: 19px; margin: 0 0 14px; font-weight: 650; }
h3 { font-size: 14px; margin: 0 0 10px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.scope { color: var(--muted); margin: 0; font-size: 13.5px; }
.note { background: var(--unknown-bg); border-left: 3px solid var(--unknown); padding: 8px 12px; margin: 12px 0 0; border-radius: 4px; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef1f5; border-radius: 4px; padding: 1px 5px; overflow-wrap: anywhere; }
section.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 22px 24px; margin: 0 0 20px; }
.overview { display: grid; grid-template-columns: minmax(220px, 1fr) 2fr; gap: 20px; margin-bottom: 20px; }
.overview section.card { margin: 0; }
.score { display: flex; flex-direction: column; align-items: center; text-align: center; gap: 8px; }
.score .headline { font-size: 16px; font-weight: 600; margin: 0; }
.score .explain { font-size: 12.5px; color: var(--muted); margin: 0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.chart svg { width: 100%; height: auto; display: block; }
.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
.chart text.count { fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 14px 0 0; padding: 0; list-style: none; font-size: 12.5px; color: var(--muted); }
.legend li::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; background: var(--swatch); }
.legend .pass { --swatch: var(--pass); } .legend .fail { --swatch: var(--fail); }
.legend .unknown { --swatch: var(--unknown); } .legend .suppressed { --swatch: var(--suppressed); }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 8px 10px; }
td { border-bottom: 1px solid var(--line); padding: 10px; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.what { font-weight: 600; min-width: 12em; }
.pill { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.pill.pass { color: var(--pass); background: var(--pass-bg); }
.pill.fail { color: var(--fail); background: var(--fail-bg); }
.pill.unknown { color: var(--unknown); background: var(--unknown-bg); }
.pill.suppressed { color: var(--suppressed); background: var(--suppressed-bg); }
.pill.na { color: var(--na); background: var(--na-bg); }
.sev { font-size: 12px; color: var(--muted); }
.finding .sev { text-transform: capitalize; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(96px, 1fr)); gap: 10px; margin: 18px 0 0; padding-top: 16px; border-top: 1px solid var(--line); }
dl.figures div { display: flex; flex-direction: column-reverse; }
dl.figures dd { margin: 0; font-size: 24px; font-weight: 650; line-height: 1.2; }
dl.figures dt { font-size: 12px; color: var(--muted); }
dl.figures .pass dd { color: var(--pass); } dl.figures .fail dd { color: var(--fail); }
dl.figures .unknown dd { color: var(--unknown); } dl.figures .suppressed dd { color: var(--suppressed); }
ol.why { margin: 0; padding-left: 22px; }
ol.why > li { margin: 0 0 16px; padding-left: 4px; }
ol.why > li:last-child { margin-bottom: 0; }
ol.why .title { font-weight: 600; margin-right: 8px; }
dl.facts { display: grid; grid-template-columns: 150px 1fr; gap: 4px 14px; margin: 8px 0 0; }
dl.facts dt { color: var(--muted); font-size: 13.5px; }
dl.facts dd { margin: 0; }
.commands { margin-top: 16px; }
.command-block { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; overflow: hidden; }
.command-block .bar { display: flex; justify-content: space-between; align-items: center; padding: 6px 10px; background: #f3f5f8; border-bottom: 1px solid var(--line); font-size: 13px; }
pre { margin: 0; padding: 12px; overflow-x: auto; font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fbfcfd; white-space: pre-wrap; overflow-wrap: anywhere; }
button { font: inherit; cursor: pointer; }
button.copy { font-size: 12px; border: 1px solid #c9d1db; background: #fff; border-radius: 6px; padding: 2px 10px; color: var(--accent); }
button.copy.done { color: var(--pass); border-color: var(--pass); }
ul.bottom { margin: 0 0 12px; padding-left: 20px; }
ul.bottom li { margin-bottom: 6px; }
.closing { margin: 0; }
.filters { display: grid; gap: 10px; margin-bottom: 14px; }
.filter-group { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.filter-group .label { width: 78px; font-size: 12.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.chip { border: 1px solid #c9d1db; background: #fff; color: var(--ink); border-radius: 999px; padding: 3px 12px; font-size: 13px; }
.chip[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.chip .n { opacity: .75; margin-left: 4px; }
.shown { font-size: 13px; color: var(--muted); margin: 0 0 10px; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--na); border-radius: 8px; padding: 12px 14px; margin: 0 0 10px; }
.finding.pass { border-left-color: var(--pass); } .finding.fail { border-left-color: var(--fail); }
.finding.unknown { border-left-color: var(--unknown); } .finding.suppressed { border-left-color: var(--suppressed); }
.finding .head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 10px; margin-bottom: 6px; }
.finding .resource { font-weight: 600; overflow-wrap: anywhere; }
.finding .where { color: var(--muted); font-size: 13px; }
.finding p { margin: 4px 0; }
.finding .next { color: var(--ink); }
.finding .accepted { color: var(--suppressed); font-size: 13.5px; }
details { margin-top: 8px; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13.5px; }
details .evidence { margin-top: 8px; }
details .evidence table { font-size: 13px; }
details .evidence td, details .evidence th { padding: 6px 8px; }
.empty { color: var(--muted); font-style: italic; }
.offscreen { position: absolute; left: -9999px; top: 0; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; margin-top: 28px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 12px; font-size: 14px; }
nav.toc a { color: var(--accent); font-weight: 600; text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
/* A control id is one word: CloudTrail.10 or TC.BucketPolicyScoped never breaks across lines. */
.id { white-space: nowrap; }
.charts { grid-template-columns: 1fr; }
section.executive { display: grid; grid-template-columns: 160px 1fr; gap: 8px 24px; align-items: start; }
section.executive .plain p { margin: 0 0 12px; font-size: 16px; }
section.executive h2 { margin-top: 8px; }
ol.steps { margin: 0; padding-left: 22px; }
ol.steps li { margin-bottom: 4px; }
/* Wide tables scroll inside their card rather than widen the page. */
.table-wrap { overflow-x: auto; }
@media (max-width: 820px) {
  .overview, .charts { grid-template-columns: 1fr; }
  td.what { white-space: normal; }
  .page { padding: 20px 12px 32px; }
  section.card { padding: 16px 14px; }
  dl.facts { grid-template-columns: 1fr; }
  section.executive { grid-template-columns: 1fr; justify-items: start; }
}
@media (max-width: 560px) {
  /* Narrow screens: each table row becomes a block, so the last column cannot fall off the screen. */
  table, thead, tbody, tr, th, td { display: block; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  td { border-bottom: 0; padding: 4px 0; }
  h1 { font-size: 22px; }
}
@media print {
  html, body { background: #fff; }
  .page { max-width: none; padding: 0; }
  section.card { border: 0; padding: 0; margin: 0 0 18px; break-inside: auto; }
  .overview { grid-template-columns: 1fr 2fr; }
  .filters, .shown, button.copy { display: none !important; }
  .finding { break-inside: avoid; }
  .finding[hidden] { display: block !important; }
  pre { white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
`;

export const HTML_SCRIPT = `
(function () {
  'use strict';
  var list = document.getElementById('finding-list');
  if (list) {
    var findings = Array.prototype.slice.call(list.querySelectorAll('.finding'));
    var shown = document.getElementById('shown');
    var groups = Array.prototype.slice.call(document.querySelectorAll('.filter-group'));
    var apply = function () {
      var wanted = {};
      groups.forEach(function (group) {
        var key = group.getAttribute('data-filter');
        var on = Array.prototype.slice
          .call(group.querySelectorAll('.chip[data-value][aria-pressed="true"]'))
          .map(function (chip) { return chip.getAttribute('data-value'); });
        wanted[key] = on;
        var all = group.querySelector('.chip[data-all]');
        if (all) all.setAttribute('aria-pressed', on.length === 0 ? 'true' : 'false');
      });
      var visible = 0;
      findings.forEach(function (finding) {
        var ok = Object.keys(wanted).every(function (key) {
          // A finding that stands for several Regions lists them all, separated by spaces.
          var values = (finding.getAttribute('data-' + key) || '').split(' ');
          return wanted[key].length === 0 || values.some(function (v) { return wanted[key].indexOf(v) !== -1; });
        });
        finding.hidden = !ok;
        if (ok) visible += 1;
      });
      if (shown) shown.textContent = 'Showing ' + visible + ' of ' + findings.length + (findings.length === 1 ? ' finding' : ' findings');
    };
    groups.forEach(function (group) {
      group.addEventListener('click', function (event) {
        var chip = event.target.closest('.chip');
        if (!chip || !group.contains(chip)) return;
        if (chip.hasAttribute('data-all')) {
          group.querySelectorAll('.chip[data-value]').forEach(function (c) { c.setAttribute('aria-pressed', 'false'); });
        } else {
          chip.setAttribute('aria-pressed', chip.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
        }
        apply();
      });
    });
    apply();
  }
  var fallbackCopy = function (text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  };
  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source) return;
      var text = source.textContent;
      var done = function (ok) {
        button.textContent = ok ? 'Copied' : 'Select and copy';
        button.classList.toggle('done', ok);
        setTimeout(function () { button.textContent = 'Copy'; button.classList.remove('done'); }, 1600);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
      } else {
        done(fallbackCopy(text));
      }
    });
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-was-open]').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; d.removeAttribute('data-was-open'); });
  });
})();
`;

/**
 * The extra style of an organization's page (the accounts × controls matrix). A separate block, hashed
 * into the page's CSP only when the page has it, so a single account's page stays as it was.
 */
export const HTML_ORGANIZATION_STYLE = `
#accounts .charts { max-width: 520px; margin: 12px 0 16px; }
.matrix-wrap { overflow-x: auto; }
table.matrix { border-collapse: collapse; font-size: 12.5px; }
table.matrix th, table.matrix td { padding: 4px 6px; border: 1px solid var(--line); text-align: center; white-space: nowrap; }
table.matrix th.control { writing-mode: vertical-rl; transform: rotate(180deg); text-transform: none; letter-spacing: 0; font-size: 11.5px; }
table.matrix td.account { text-align: left; }
td.cell.pass { color: var(--pass); background: var(--pass-bg); }
td.cell.fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; }
td.cell.unknown { color: var(--unknown); background: var(--unknown-bg); }
td.cell.suppressed { color: var(--suppressed); background: var(--suppressed-bg); }
td.cell.na { color: var(--na); background: var(--paper); }
td.cell.elsewhere { color: var(--accent); background: var(--paper); font-style: italic; }
.legend .na { --swatch: var(--na); } .legend .elsewhere { --swatch: var(--accent); }
section.account ul { margin: 8px 0 0; padding-left: 20px; }
`;
