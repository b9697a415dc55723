/**
 * `trailcheck completion bash|zsh`: a completion script built from the same tables the commands parse
 * with (their option specs, the settings table, the controls, formats and frameworks), so it cannot
 * offer a flag a command does not take.
 */
import { CONTROLS } from '../../controls/index.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { CONFIG_OPTION } from '../config.js';
import { COMPLETION_HELP, MAIN_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION, SETTINGS, SETTING_OF_FLAG, parseCommandArgs } from '../options.js';
import type { OptionSpec, SettingDeclaration } from '../options.js';
import { COLLECT_OPTIONS } from './collect.js';
import { CONTROLS_OPTIONS } from './controls.js';
import { DEMO_OPTIONS } from './demo.js';
import { DIFF_OPTIONS } from './diff.js';
import { FIX_OPTIONS } from './fix.js';
import { IAM_POLICY_OPTIONS, ORG_POLICY_FORMATS } from './iam-policy.js';
import { PLAN_FORMATS, PLAN_OPTIONS } from './plan.js';
import { SCAN_OPTIONS } from './scan.js';
import { SERVE_OPTIONS } from './serve.js';
import { WORKER_OPTIONS } from './worker.js';

export const SHELLS = ['bash', 'zsh'] as const;

/** What a flag's value completes to: words, file names, directory names, or nothing to offer. */
type ValueCompletion = readonly string[] | 'file' | 'dir' | 'none';

interface CommandCompletion {
  options: OptionSpec;
  /** Values of the flags that are the command's own (not settings). */
  values?: Record<string, ValueCompletion>;
  /** What the words that are not flags complete to. */
  positionals?: ValueCompletion;
}

const REPORT_WORDS = ['text', 'markdown', 'json'] as const;

/** Every command and what it takes; a unit test checks this covers the commands trailcheck runs. */
export const COMPLETIONS: Record<string, CommandCompletion> = {
  scan: { options: { ...SCAN_OPTIONS, ...CONFIG_OPTION }, values: { snapshot: 'file' } },
  collect: { options: { ...COLLECT_OPTIONS, ...CONFIG_OPTION } },
  demo: { options: { ...DEMO_OPTIONS, ...CONFIG_OPTION } },
  controls: { options: CONTROLS_OPTIONS, values: { format: REPORT_WORDS } },
  explain: { options: HELP_OPTION, positionals: CONTROLS.map((c) => c.id) },
  diff: { options: DIFF_OPTIONS, values: { format: REPORT_WORDS }, positionals: 'file' },
  plan: {
    options: { ...PLAN_OPTIONS, ...CONFIG_OPTION },
    values: { format: PLAN_FORMATS, snapshot: 'file', 'kms-key': 'none' },
  },
  fix: {
    options: { ...FIX_OPTIONS, ...CONFIG_OPTION },
    values: { format: ['text', 'json'], snapshot: 'file', 'kms-key': 'none' },
  },
  'iam-policy': {
    options: { ...IAM_POLICY_OPTIONS, ...CONFIG_OPTION },
    values: { for: ['scan', 'fix', 'org'], format: ORG_POLICY_FORMATS },
  },
  completion: { options: HELP_OPTION, positionals: SHELLS },
  serve: {
    options: SERVE_OPTIONS,
    values: { data: 'dir', port: 'none', host: 'none', database: 'none', jobs: 'none' },
  },
  worker: { options: WORKER_OPTIONS, values: { database: 'none', jobs: 'none' } },
};

/** What the flags that are not settings are for, in the zsh menu. */
const OWN_FLAG_HELP: Record<string, string> = {
  help: 'show the help',
  output: 'write to FILE instead of standard output',
  config: 'read the defaults from FILE',
  snapshot: "use a snapshot made by 'trailcheck collect'",
  apply: 'make the changes',
  yes: 'apply without asking',
  for: 'the policy for scan, fix or org',
  'role-name': 'the role scan --org assumes in each member',
  'external-id': 'the external id the member role requires',
  'management-account': 'the account id the member role trusts',
  'kms-key': 'encrypt with this existing KMS key',
  port: 'listen on this port',
  host: 'listen on this address',
  data: 'keep the service data in DIR',
  database: 'a PostgreSQL URL instead of --data',
  jobs: 'scans run at once',
  'alert-webhook': 'post alerts to this URL',
  'alert-sns-topic': 'publish alerts to this SNS topic',
};

const TOP_LEVEL_FLAGS = ['--help', '--version', '-V'];

interface Flag {
  names: string[];
  takesValue: boolean;
  values: ValueCompletion;
  /** Takes a comma-separated list: completes its last item. */
  list: boolean;
  help: string;
}

function flagsOf(command: CommandCompletion): Flag[] {
  return Object.entries(command.options).map(([name, option]) => {
    const setting = SETTING_OF_FLAG.get(option);
    const declaration: SettingDeclaration | undefined = setting ? SETTINGS[setting] : undefined;
    let values: ValueCompletion = command.values?.[name] ?? 'none';
    if (declaration?.values) values = declaration.values();
    else if (declaration?.path) values = declaration.path;
    else if (name === 'output' || name === 'config') values = 'file';
    return {
      names: [`--${name}`, ...(option.short ? [`-${option.short}`] : [])],
      takesValue: option.type === 'string',
      values,
      list: declaration?.kind === 'list',
      help: declaration?.help[0] ?? OWN_FLAG_HELP[name] ?? '',
    };
  });
}

/** The one-line descriptions of the commands, as the main help gives them. */
function commandDescriptions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of MAIN_HELP.matchAll(/^ {2}trailcheck (\S+)\s+(.+)$/gm))
    if (match[1] && match[2]) found[match[1]] = match[2];
  return found;
}

function bashWords(values: readonly string[]): string {
  return values.join(' ');
}

function bashValueCase(flag: Flag): string {
  const patterns = flag.names.join('|');
  if (flag.values === 'file') return `        ${patterns}) _trailcheck_files "$cur"; return 0 ;;`;
  if (flag.values === 'dir') return `        ${patterns}) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;`;
  if (flag.values === 'none') return `        ${patterns}) return 0 ;;`;
  if (flag.list) return `        ${patterns}) _trailcheck_list "$cur" ${bashWords(flag.values)}; return 0 ;;`;
  return `        ${patterns}) COMPREPLY=($(compgen -W "${bashWords(flag.values)}" -- "$cur")); return 0 ;;`;
}

function bashPositionals(values: ValueCompletion | undefined): string {
  if (values === undefined || values === 'none') return '';
  if (values === 'file') return '_trailcheck_files "$cur"';
  if (values === 'dir') return 'COMPREPLY=($(compgen -d -- "$cur"))';
  return `COMPREPLY=($(compgen -W "${bashWords(values)}" -- "$cur"))`;
}

export function bashScript(): string {
  const commands = Object.keys(COMPLETIONS);
  const cases = Object.entries(COMPLETIONS).map(([name, command]) => {
    const flags = flagsOf(command);
    const withValues = flags.filter((f) => f.takesValue);
    const names = flags.flatMap((f) => f.names.filter((n) => n.startsWith('--')));
    const positional = bashPositionals(command.positionals);
    return `    ${name})
      case "$prev" in
${withValues.map(bashValueCase).join('\n')}
      esac
${
  positional === ''
    ? `      COMPREPLY=($(compgen -W "${names.join(' ')}" -- "$cur"))`
    : `      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "${names.join(' ')}" -- "$cur"))
      else
        ${positional}
      fi`
}
      ;;`;
  });
  return `# bash completion for trailcheck; load it with: source <(trailcheck completion bash)

# Completes the last item of a comma-separated list: --format html,js<TAB> → html,json
_trailcheck_list() {
  local cur="$1"
  shift
  if [[ "$cur" == *,* ]]; then
    COMPREPLY=($(compgen -P "\${cur%,*}," -W "$*" -- "\${cur##*,}"))
  else
    COMPREPLY=($(compgen -W "$*" -- "$cur"))
  fi
}

_trailcheck_files() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -f -- "$1"))
  compopt -o filenames 2>/dev/null
}

_trailcheck() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${commands.join(' ')} ${TOP_LEVEL_FLAGS.join(' ')}" -- "$cur"))
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  return 0
}

complete -F _trailcheck trailcheck
`;
}

/** Text for a zsh single-quoted spec: no quotes, brackets or colons, which _arguments reads. */
function zshText(text: string): string {
  return text
    .replace(/[[\]:'\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function zshAction(values: ValueCompletion | undefined, what: string, list = false): string {
  if (values === undefined || values === 'none') return `:${what}: `;
  if (values === 'file') return `:${what}:_files`;
  if (values === 'dir') return `:${what}:_files -/`;
  return `:${what}:${list ? '_sequence ' : ''}compadd - ${values.join(' ')}`;
}

export function zshScript(): string {
  const descriptions = commandDescriptions();
  const commands = Object.keys(COMPLETIONS).map(
    (name) => `    '${name}:${zshText(descriptions[name] ?? 'shell completion for bash or zsh')}'`,
  );
  const cases = Object.entries(COMPLETIONS).map(([name, command]) => {
    const specs = flagsOf(command).map((flag) => {
      const help = zshText(flag.help);
      const action = flag.takesValue
        ? zshAction(flag.values, flag.names[0]?.slice(2) ?? 'value', flag.list)
        : '';
      if (flag.names.length > 1)
        return `'(${flag.names.join(' ')})'{${flag.names.join(',')}}'[${help}]${action}'`;
      return `'${flag.names[0]}[${help}]${action}'`;
    });
    const positional =
      command.positionals !== undefined ? [`'*${zshAction(command.positionals, 'argument')}'`] : [];
    return `    ${name})
      _arguments -s \\
        ${[...specs, ...positional].join(' \\\n        ')}
      ;;`;
  });
  return `#compdef trailcheck
# zsh completion for trailcheck: put it in a folder on $fpath as _trailcheck, or load it with
#   source <(trailcheck completion zsh)   (after compinit)

_trailcheck() {
  local -a commands
  commands=(
${commands.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'trailcheck command' commands
    _arguments '--help[show the help]' '(-V --version)'{-V,--version}'[print the version]'
    return
  fi
  local command=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $command in
${cases.join('\n')}
  esac
}

if [[ "$funcstack[1]" == "_trailcheck" ]]; then
  _trailcheck "$@"
else
  compdef _trailcheck trailcheck
fi
`;
}

export function completionCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs(
    'completion',
    args.filter((a) => a.startsWith('-')),
    HELP_OPTION,
  );
  if (values.help) {
    io.stdout(`${COMPLETION_HELP}\n`);
    return Promise.resolve(EXIT.OK);
  }
  const shells = args.filter((a) => !a.startsWith('-'));
  const shell = shells[0]?.trim().toLowerCase();
  if (shells.length !== 1 || (shell !== 'bash' && shell !== 'zsh'))
    throw new UsageError(
      "'trailcheck completion' takes one shell: bash or zsh, e.g. 'trailcheck completion bash'.",
    );
  io.stdout(shell === 'bash' ? bashScript() : zshScript());
  return Promise.resolve(EXIT.OK);
}
