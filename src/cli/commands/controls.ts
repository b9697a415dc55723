import { ACTIONS_BY_EVIDENCE } from '../../controls/scan-policy.js';
import { CONTROLS, findControl, unknownControl } from '../../controls/index.js';
import type { ControlDefinition } from '../../controls/types.js';
import { FRAMEWORKS, findFramework, mappingsOf } from '../../controls/frameworks.js';
import { compareFrameworkIds, controlRef } from '../../frameworks/index.js';
import type { Framework } from '../../frameworks/index.js';
import { markdownCode, markdownText } from '../../core/escape.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { wrap } from '../../util/wrap.js';
import { CONTROLS_HELP, EXPLAIN_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { CONFIG_FILE_NAME } from '../config.js';
import {
  HELP_OPTION,
  OUTPUT_OPTIONS,
  configKeyOf,
  envVarOf,
  parseCommandArgs,
  parseCommandLine,
} from '../options.js';
import { emit } from '../output.js';
import { chooseControls } from '../selection.js';

const APPLIES_TO: Record<ControlDefinition['resourceType'], string> = {
  AwsAccount: 'the account',
  AwsCloudTrailTrail: 'each trail',
  AwsS3Bucket: 'each trail bucket',
  AwsCloudTrailEventDataStore: 'each CloudTrail Lake event data store',
  AwsKmsKey: 'each KMS key',
  AwsEc2Vpc: 'each VPC',
};

const CIS = FRAMEWORKS.filter((f) => f.id.startsWith('cis-'));

function permissionsOf(control: ControlDefinition): string[] {
  return [...new Set(control.needs.flatMap((n) => ACTIONS_BY_EVIDENCE[n.kind]))].sort();
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function controlsText(controls: readonly ControlDefinition[], framework: Framework | undefined): string {
  const headers = [
    'Control',
    'Severity',
    'Applies to',
    ...CIS.map((f) => f.id.toUpperCase().replace('-', ' ')),
    'Title',
  ];
  const rows = controls.map((c) => [
    controlRef(c.id, framework),
    c.severity,
    APPLIES_TO[c.resourceType],
    ...CIS.map((f) => f.controls[c.id] ?? '–'),
    c.title,
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ');
  const title = framework ? `${framework.title}: ${controls.length} controls` : `${controls.length} controls`;
  return `${title}\n\n${[line(headers), ...rows.map(line)].join('\n')}\n\nRun 'trailcheck explain <control>' for what a control checks, why it matters and how to fix it.\n`;
}

function controlsMarkdown(controls: readonly ControlDefinition[], framework: Framework | undefined): string {
  const header = `| Control | Severity | Applies to | ${CIS.map((f) => f.id.toUpperCase().replace('-', ' ')).join(' | ')} | Title |`;
  const rule = `|${'---|'.repeat(4 + CIS.length)}`;
  const rows = controls.map(
    (c) =>
      `| ${markdownCode(controlRef(c.id, framework))} | ${c.severity} | ${APPLIES_TO[c.resourceType]} | ${CIS.map((f) => f.controls[c.id] ?? '–').join(' | ')} | ${markdownText(c.title)} |`,
  );
  return `${[header, rule, ...rows].join('\n')}\n`;
}

function controlJson(c: ControlDefinition) {
  return {
    id: c.id,
    title: c.title,
    name: c.texts.name,
    severity: c.severity,
    resourceType: c.resourceType,
    frameworks: mappingsOf(c.id).map((m) => ({ framework: m.framework, id: m.id })),
    checks: c.texts.checks,
    whatItDoes: c.texts.whatItDoes,
    whyItMatters: c.texts.whyItMatters,
    howToFix: c.texts.howToFix,
    permissions: permissionsOf(c),
  };
}

/** The flags of 'trailcheck controls' (shell completion lists them too). */
export const CONTROLS_OPTIONS = {
  ...OUTPUT_OPTIONS,
  ...HELP_OPTION,
  framework: { type: 'string' },
} as const;

export async function controlsCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('controls', args, CONTROLS_OPTIONS);
  if (values.help) {
    io.stdout(`${CONTROLS_HELP}\n`);
    return EXIT.OK;
  }
  const { controls, framework } = chooseControls(values, CONTROLS);
  const format = (values.format ?? 'text').toLowerCase();
  let content: string;
  if (format === 'text') content = controlsText(controls, framework);
  else if (format === 'markdown' || format === 'md') content = controlsMarkdown(controls, framework);
  else if (format === 'json') content = `${JSON.stringify(controls.map(controlJson), null, 2)}\n`;
  else
    throw new UsageError(
      `unknown format '${values.format}' for controls; choose one of: text, markdown, json.`,
    );
  await emit(io, content, values.output, 'the control list');
  return EXIT.OK;
}

/** The control's own options, from its declaration: the flag, its help, and where else it can be set. */
function optionsSection(control: ControlDefinition): string[] {
  const options = control.options ?? [];
  if (options.length === 0) return [];
  const lines = options.map((option) => {
    const where = `also ${envVarOf(option.flag)}, or ${configKeyOf(option.flag)} in ${CONFIG_FILE_NAME}`;
    return wrap(`--${option.flag} ${option.placeholder}: ${option.help.join(' ')}; ${where}`, 100, '  ');
  });
  return [`Options\n${lines.join('\n')}\n`];
}

function section(title: string, body: string): string {
  return `${title}\n${wrap(body, 100, '  ')}\n`;
}

/** "3.2" or "CIS 3.2": a framework's own number, not a control id. */
function frameworkNumber(word: string): string | undefined {
  return /^(?:cis\s*)?(\d+(?:\.\d+)+)$/i.exec(word.trim())?.[1];
}

/**
 * The control a word names: a control id, or with --framework that framework's number for it
 * (`explain 3.2 --framework cis-3.0`). A number without a framework is refused with the frameworks
 * that have it, since CIS versions number the same control differently.
 */
function controlForWord(word: string, framework: Framework | undefined): ControlDefinition {
  const byId = findControl(word);
  if (byId) return byId;
  const number = frameworkNumber(word);
  if (number === undefined) throw unknownControl(word);
  if (framework) {
    const id = Object.entries(framework.controls).find(([, n]) => n === number)?.[0];
    const control = id !== undefined ? findControl(id) : undefined;
    if (control) return control;
    throw new UsageError(
      `${framework.title} has no control numbered ${number}; its numbers are ${Object.values(
        framework.controls,
      )
        .sort(compareFrameworkIds)
        .join(', ')}.`,
    );
  }
  const uses = FRAMEWORKS.flatMap((f) =>
    Object.entries(f.controls)
      .filter(([, n]) => n === number)
      .map(([id]) => `${f.id} (${id})`),
  );
  throw new UsageError(
    uses.length > 0
      ? `'${word}' is a framework number: say which framework, e.g. trailcheck explain ${number} --framework ${uses[0]?.split(' ')[0]}; it is ${uses.join(', ')}.`
      : `no framework numbers a control ${number}; run 'trailcheck controls' for the ids and numbers.`,
  );
}

export function explainCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('explain', args, {
    ...HELP_OPTION,
    framework: { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${EXPLAIN_HELP}\n`);
    return Promise.resolve(EXIT.OK);
  }
  if (positionals.length !== 1)
    throw new UsageError("'trailcheck explain' takes one control id, e.g. trailcheck explain CloudTrail.4.");
  const framework = values.framework !== undefined ? findFramework(values.framework) : undefined;
  const control = controlForWord(positionals[0] as string, framework);
  const mappings = mappingsOf(control.id);
  const sh = mappings.find((m) => m.framework === 'securityhub');
  const cis = mappings
    .filter((m) => m.framework.startsWith('cis-'))
    .map((m) => `${m.framework.replace('cis-', 'v')} ${m.id}`);
  const meta = [
    `Severity: ${control.severity}`,
    `Applies to: ${APPLIES_TO[control.resourceType]}`,
    sh ? `Security Hub: ${sh.id}` : 'Security Hub: none (a trailcheck check)',
    cis.length > 0 ? `CIS: ${cis.join(', ')}` : 'CIS: none',
  ].join(' · ');
  const out = [
    `${control.id} – ${control.texts.name}`,
    control.title,
    wrap(meta, 100),
    '',
    section('What it checks', control.texts.checks),
    section('What it does', control.texts.whatItDoes),
    section('Why it matters', control.texts.whyItMatters),
    section('How to fix it', control.texts.howToFix),
    ...optionsSection(control),
    `Permissions trailcheck needs for it\n${permissionsOf(control)
      .map((p) => `  ${p}`)
      .join('\n')}\n`,
  ];
  io.stdout(out.join('\n'));
  return Promise.resolve(EXIT.OK);
}
