/** The benchmark's figures as plain-text tables, for the terminal and the README. */
import { ORG_TARGETS } from './org.js';
import type {
  BenchResult,
  OrgBenchResult,
  OrgSizeResult,
  OrgToolFigures,
  SizeResult,
  ToolResult,
} from './results.js';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i > 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mib = (kb: number) => (kb / 1024).toFixed(0);
const one = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '–');

function toolRow(t: ToolResult, trails: number): string[] {
  const w = t.withLatency;
  return [
    t.label,
    seconds(w.wallMs),
    seconds(t.withoutLatency.wallMs),
    seconds(t.replayed.wallMs),
    seconds(t.replayed.traffic.beforeFirstCallMs),
    seconds(w.traffic.apiSpanMs),
    seconds(t.replayed.traffic.apiSpanMs),
    one(t.roundTripsWall),
    one(t.roundTripsReplayed),
    String(t.replayed.traffic.callsInSequence),
    String(w.traffic.requests),
    mib(w.maxRssKb),
    seconds(w.cpuMs),
    `${w.trailsSeen}/${trails}`,
  ];
}

function sizeTable(size: SizeResult, latencyMs: number): string {
  const header = [
    `${size.description}, ${size.buckets} buckets`,
    'wall s',
    'wall s, 0 ms',
    'wall s, replayed',
    'start-up s',
    'API phase s',
    'API phase s, replayed',
    `wall÷${latencyMs}ms`,
    'critical path RT',
    'calls in sequence',
    'API calls',
    'peak RSS MiB',
    'CPU s',
    'trails seen',
  ];
  const rows = size.tools.map((t) => toolRow(t, size.trails));
  const mapped = size.tools.find((t) => t.tool === 'trailcheck');
  for (const peer of size.tools.filter((t) => t.tool === 'prowler' || t.tool === 'custodian')) {
    if (!mapped) break;
    rows.push([
      `${peer.tool === 'prowler' ? 'Prowler' : 'Custodian'} ÷ trailcheck (same checks)`,
      ratio(peer.withLatency.wallMs, mapped.withLatency.wallMs),
      ratio(peer.withoutLatency.wallMs, mapped.withoutLatency.wallMs),
      ratio(peer.replayed.wallMs, mapped.replayed.wallMs),
      ratio(peer.replayed.traffic.beforeFirstCallMs, mapped.replayed.traffic.beforeFirstCallMs),
      ratio(peer.withLatency.traffic.apiSpanMs, mapped.withLatency.traffic.apiSpanMs),
      ratio(peer.replayed.traffic.apiSpanMs, mapped.replayed.traffic.apiSpanMs),
      ratio(peer.roundTripsWall, mapped.roundTripsWall),
      ratio(peer.roundTripsReplayed, mapped.roundTripsReplayed),
      ratio(peer.replayed.traffic.callsInSequence, mapped.replayed.traffic.callsInSequence),
      ratio(peer.withLatency.traffic.requests, mapped.withLatency.traffic.requests),
      ratio(peer.withLatency.maxRssKb, mapped.withLatency.maxRssKb),
      ratio(peer.withLatency.cpuMs, mapped.withLatency.cpuMs),
      '',
    ]);
  }
  return table(header, rows);
}

function operationsTable(size: SizeResult): string {
  const operations = [
    ...new Set(size.tools.flatMap((t) => Object.keys(t.withLatency.traffic.byOperation))),
  ].sort();
  const rows = operations.map((op) => [
    op,
    ...size.tools.map((t) => String(t.withLatency.traffic.byOperation[op] ?? '')),
  ]);
  rows.push(['total', ...size.tools.map((t) => String(t.withLatency.traffic.requests))]);
  return table([`API calls by operation, size ${size.size.name}`, ...size.tools.map((t) => t.tool)], rows);
}

/** The live heap in words (see HeapFigures). */
export function liveHeap(tool: ToolResult): string {
  return tool.heap
    ? `live heap ${tool.heap.peakLiveMb.toFixed(0)} MiB at most (${tool.heap.samples} full collections sampled)`
    : 'live heap not measured';
}

function targets(result: BenchResult): string[] {
  const lines: string[] = [];
  const mapped = result.sizes.map((s) => ({ s, t: s.tools.find((t) => t.tool === 'trailcheck') }));
  for (const { s, t } of mapped) {
    const prowler = s.tools.find((x) => x.tool === 'prowler');
    if (!t) continue;
    const calls = prowler
      ? prowler.withLatency.traffic.requests / t.withLatency.traffic.requests
      : Number.NaN;
    const wall = prowler ? prowler.withLatency.wallMs / t.withLatency.wallMs : Number.NaN;
    lines.push(
      `size ${s.size.name}: API calls ${prowler ? `${calls.toFixed(1)}× fewer than Prowler (target 3×: ${calls >= 3 ? 'met' : 'MISSED'})` : '(no Prowler run)'}; wall ${prowler ? `${wall.toFixed(1)}× faster (target 5×: ${wall >= 5 ? 'met' : 'MISSED'})` : ''}; critical path ${one(t.roundTripsReplayed)} round trips, ${t.replayed.traffic.callsInSequence} calls in sequence (full scan ${one(s.tools.find((x) => x.tool === 'trailcheck-all')?.roundTripsReplayed ?? Number.NaN)}, ${s.tools.find((x) => x.tool === 'trailcheck-all')?.replayed.traffic.callsInSequence ?? '–'}); peak RSS ${mib(t.withLatency.maxRssKb)} MiB, ${liveHeap(t)}`,
    );
  }
  return lines;
}

export function formatReport(result: BenchResult): string {
  const parts = [
    `trailcheck benchmark, ${result.startedAt}: moto ${result.versions.moto}, latency ${result.latencyMs} ms${result.jitterMs > 0 ? ` (+ up to ${result.jitterMs} ms)` : ''} per API call, ${result.machine.cpus} CPUs, Node ${result.machine.node}; trailcheck runs: median of ${result.repeat}`,
    `Load average at start / end (1, 5, 15 min): ${result.machine.loadStart.map((n) => n.toFixed(1)).join(' ')} / ${result.machine.loadEnd.map((n) => n.toFixed(1)).join(' ')}`,
    `Mapped controls: ${result.trailcheckControls.join(', ')}`,
    '',
  ];
  for (const size of result.sizes) parts.push(sizeTable(size, result.latencyMs), '');
  parts.push(...targets(result), '');
  for (const size of result.sizes) {
    for (const tool of size.tools) {
      const errors = tool.withLatency.loggedErrors;
      if (errors.length > 0)
        parts.push(
          `${tool.label} logged errors at size ${size.size.name}:`,
          ...errors.map((e) => `  ${e}`),
          '',
        );
    }
  }
  for (const size of result.sizes) parts.push(operationsTable(size), '');
  parts.push(
    [
      'wall s: spawn to exit, moto answering, with the latency; wall s, 0 ms: the same without latency (start-up, the tool and moto);',
      'wall s, replayed: with the latency, every answer replayed by the proxy from a recorded run, so moto (one Python process) drops out, as against AWS;',
      'start-up s: spawn to the first API call (replayed run); API phase s: first call to last answer;',
      'wall÷latency: wall time in round trips; critical path RT: the replayed API phase ÷ latency;',
      'calls in sequence: the longest chain of calls each sent after the previous one was answered (replayed run, as the proxy logged them);',
      'API calls: HTTP requests the proxy saw (retries included); peak RSS and CPU: of the tool process, from wait4.',
    ].join('\n'),
  );
  return parts.join('\n');
}

/** The key figures as a Markdown table, for the README (`bench/results/latest.md`). */
export function formatMarkdown(result: BenchResult): string {
  const header = [
    'Size',
    'Tool',
    'Wall s',
    'Wall s, replayed',
    'API calls',
    'Peak RSS MiB',
    'Live heap MiB',
    'Critical path (round trips)',
    'Calls in sequence',
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const size of result.sizes) {
    const mapped = size.tools.find((t) => t.tool === 'trailcheck');
    for (const t of size.tools) {
      lines.push(
        `| ${size.size.name}: ${size.regions.length} Regions, ${size.trails} trails, ${size.buckets} buckets | ${t.label} | ${seconds(t.withLatency.wallMs)} | ${seconds(t.replayed.wallMs)} | ${t.withLatency.traffic.requests} | ${mib(t.withLatency.maxRssKb)} | ${t.heap ? t.heap.peakLiveMb.toFixed(0) : '–'} | ${one(t.roundTripsReplayed)} | ${t.replayed.traffic.callsInSequence} |`,
      );
    }
    for (const peer of size.tools.filter((t) => t.tool === 'prowler' || t.tool === 'custodian')) {
      if (!mapped) break;
      lines.push(
        `| ${size.size.name} | **${peer.tool === 'prowler' ? 'Prowler' : 'Custodian'} ÷ trailcheck** | **${ratio(peer.withLatency.wallMs, mapped.withLatency.wallMs)}** | **${ratio(peer.replayed.wallMs, mapped.replayed.wallMs)}** | **${ratio(peer.withLatency.traffic.requests, mapped.withLatency.traffic.requests)}** | **${ratio(peer.withLatency.maxRssKb, mapped.withLatency.maxRssKb)}** | | **${ratio(peer.roundTripsReplayed, mapped.roundTripsReplayed)}** | **${ratio(peer.replayed.traffic.callsInSequence, mapped.replayed.traffic.callsInSequence)}** |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---- The organization curve (bench/org.ts) ----------------------------------------------------------------

type OrgTool = OrgToolFigures | { skipped: string };
const measuredOrg = (figures: OrgTool): OrgToolFigures | undefined =>
  'skipped' in figures ? undefined : figures;

function orgRow(label: string, figures: OrgTool, trails: number): string[] {
  const f = measuredOrg(figures);
  if (!f) return [`${label} (skipped: ${'skipped' in figures ? figures.skipped : ''})`];
  return [
    label,
    seconds(f.wallMs),
    f.stoppedAtCap
      ? `${f.accountsAssessed} of ${f.stoppedAtCap.accountsTotal} (cap)`
      : `${f.accountsAssessed}`,
    f.accountsPerMinute.toFixed(0),
    String(f.apiCalls),
    one(f.apiCallsPerAccount),
    mib(f.maxRssKb),
    seconds(f.cpuMs),
    String(f.processes),
    `${f.trailsSeen}/${trails}`,
    String(f.failures.length),
  ];
}

/**
 * Prowler's figure ÷ trailcheck's, at one size, when both ran. Where Prowler stopped at its time cap, its
 * figures are scaled to every account (its wall time is then the projection) and `projected` says so.
 */
export function orgRatios(
  size: OrgSizeResult,
): { wall: number; calls: number; cpu: number; projected: boolean } | undefined {
  const t = measuredOrg(size.trailcheck);
  const p = measuredOrg(size.prowler);
  if (!t || !p) return undefined;
  const share = p.stoppedAtCap ? p.stoppedAtCap.accountsTotal / p.stoppedAtCap.accountsRun : 1;
  return {
    wall: (p.stoppedAtCap?.projectedWallMs ?? p.wallMs) / t.wallMs,
    calls: (p.apiCalls * share) / t.apiCalls,
    cpu: (p.cpuMs * share) / t.cpuMs,
    projected: p.stoppedAtCap !== undefined,
  };
}

const approx = (r: { projected: boolean }) => (r.projected ? '≈' : '');

/** Each size against issue 13's targets: 1,000 accounts in 10 minutes, RSS under 1 GiB, 5× Prowler. */
export function orgTargets(result: OrgBenchResult): string[] {
  const lines: string[] = [];
  for (const size of result.sizes) {
    const t = measuredOrg(size.trailcheck);
    const r = orgRatios(size);
    const parts = [`${size.members} members`];
    if (t) {
      const minutes = t.wallMs / 60_000;
      const scaled = (minutes * 1000) / size.members;
      parts.push(
        `${minutes.toFixed(1)} min${size.members === 1000 ? ` (target ${ORG_TARGETS.wallMinutes}: ${minutes < ORG_TARGETS.wallMinutes ? 'met' : 'MISSED'})` : `, ${scaled.toFixed(1)} min per 1,000 at this rate`}`,
        `peak RSS ${mib(t.maxRssKb)} MiB (target < ${ORG_TARGETS.rssMiB}: ${t.maxRssKb / 1024 < ORG_TARGETS.rssMiB ? 'met' : 'MISSED'})`,
      );
    } else parts.push('trailcheck not run');
    if (r)
      parts.push(
        `${approx(r)}${r.wall.toFixed(1)}× faster than Prowler${r.projected ? ' (Prowler stopped at its time cap; its time for every account projected)' : ''} (target ${ORG_TARGETS.prowlerRatio}×: ${r.wall >= ORG_TARGETS.prowlerRatio ? 'met' : 'MISSED'}), ${approx(r)}${r.calls.toFixed(1)}× fewer calls`,
      );
    lines.push(parts.join('; '));
  }
  return lines;
}

export function formatOrgReport(result: OrgBenchResult): string {
  const header = [
    'tool',
    'wall s',
    'accounts',
    'accounts/min',
    'API calls',
    'calls/account',
    'peak RSS MiB',
    'CPU s',
    'processes',
    'trails seen',
    'failed',
  ];
  const parts = [
    `Organization curve, ${result.startedAt}: moto ${result.versions.moto}, ${result.sizes[0]?.regions.length ?? 0} Regions, latency ${result.latencyMs} ms per API call, ${result.machine.cpus} CPUs, Node ${result.machine.node}; controls: ${result.controls.join(', ')}; Prowler ${result.versions.prowler ?? '(not run)'} ${result.prowlerParallel} processes at a time`,
    `Load average at start / end (1, 5, 15 min): ${result.machine.loadStart.map((n) => n.toFixed(1)).join(' ')} / ${result.machine.loadEnd.map((n) => n.toFixed(1)).join(' ')}`,
    ...result.notes,
    '',
  ];
  for (const size of result.sizes) {
    const rows = [
      orgRow('trailcheck scan --org', size.trailcheck, size.trails),
      orgRow(`Prowler, -R per account`, size.prowler, size.trails),
    ];
    const r = orgRatios(size);
    if (r)
      rows.push([
        `Prowler ÷ trailcheck${r.projected ? ' (projected)' : ''}`,
        `${approx(r)}${r.wall.toFixed(1)}×`,
        '',
        '',
        `${approx(r)}${r.calls.toFixed(1)}×`,
        '',
        '',
        `${approx(r)}${r.cpu.toFixed(1)}×`,
      ]);
    parts.push(
      `${size.members} members + management account (${size.memberTrails} members with their own trail, ${size.trails} trails; built in ${seconds(size.seedMs)} s, warmed in ${seconds(size.warmUpMs)} s)`,
      table(header, rows),
      '',
    );
    for (const [label, figures] of [
      ['trailcheck', size.trailcheck],
      ['Prowler', size.prowler],
    ] as const) {
      const f = measuredOrg(figures);
      if (f && f.failures.length > 0)
        parts.push(`${label} failures:`, ...f.failures.map((e) => `  ${e}`), '');
    }
  }
  parts.push(...orgTargets(result), '');
  parts.push(
    'wall s: trailcheck spawn to exit; Prowler from ListAccounts to its last process exit; accounts: assessed (trailcheck: its report; Prowler: processes that finished);',
    'API calls: HTTP requests the proxy saw, calls/account over every account of the organization; peak RSS: the largest single process (Prowler runs several at once); CPU: all processes.',
  );
  return parts.join('\n');
}

export function formatOrgMarkdown(result: OrgBenchResult): string {
  const header = [
    'Members',
    'Tool',
    'Wall s',
    'Accounts/min',
    'API calls/account',
    'Peak RSS MiB',
    'Trails seen',
  ];
  const lines = [
    `Organization curve, ${result.startedAt} (${result.latencyMs} ms per call, Prowler ${result.prowlerParallel} at a time):`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
  ];
  for (const size of result.sizes) {
    for (const [label, figures] of [
      ['trailcheck `scan --org`', size.trailcheck],
      ['Prowler, one process per account', size.prowler],
    ] as const) {
      const f = measuredOrg(figures);
      lines.push(
        f
          ? `| ${size.members} | ${label} | ${seconds(f.wallMs)}${f.stoppedAtCap ? ` (stopped at the cap after ${f.stoppedAtCap.accountsRun} of ${f.stoppedAtCap.accountsTotal} accounts; all ≈${seconds(f.stoppedAtCap.projectedWallMs)}, projected)` : ''} | ${f.accountsPerMinute.toFixed(0)} | ${one(f.apiCallsPerAccount)} | ${mib(f.maxRssKb)} | ${f.trailsSeen}/${size.trails} |`
          : `| ${size.members} | ${label} | ${'skipped' in figures ? figures.skipped : ''} | | | | |`,
      );
    }
    const r = orgRatios(size);
    if (r)
      lines.push(
        `| ${size.members} | **Prowler ÷ trailcheck${r.projected ? ' (Prowler projected)' : ''}** | **${approx(r)}${r.wall.toFixed(1)}×** | | **${approx(r)}${r.calls.toFixed(1)}×** | | |`,
      );
  }
  return `${lines.join('\n')}\n`;
}
