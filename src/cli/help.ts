import { TOOL_VERSION } from '../version.js';
import { CONFIG_ENV_VAR, CONFIG_FILE_NAME } from './config.js';
import { CONTROL_OPTION_FLAGS, ORGANIZATION_SETTINGS, SETTINGS, configKeyOf, envVarOf } from './options.js';
import { wrap } from '../util/wrap.js';
import type { SettingDeclaration, SettingName } from './options.js';

/** The help lines of some settings, from the option table: the text in column 24 where it fits. */
function settingLines(...names: SettingName[]): string {
  return names
    .map((name) => {
      const setting: SettingDeclaration = SETTINGS[name];
      const flag = `--${name} ${setting.placeholder}`.padEnd(17);
      const [first = '', ...rest] = setting.help;
      const head = `  ${setting.short ? `-${setting.short}, ` : '    '}${flag} ${first}`;
      return [head, ...rest.map((line) => `${' '.repeat(flag.length + 7)}${line}`)].join('\n');
    })
    .join('\n');
}

/** Where the settings a command takes can come from besides its flags, named from the option table. */
function defaultsHelp(...names: SettingName[]): string {
  const renamed = names
    .filter((name) => configKeyOf(name) !== name)
    .map((name) => `${configKeyOf(name)} for --${name}`);
  const [first = 'profile'] = names;
  const text = `Defaults for ${names.map((name) => `--${name}`).join(', ')} come from the environment (${envVarOf(first)} for --${first}, and so on), else from ${CONFIG_FILE_NAME} in the current directory (the same names${renamed.length > 0 ? `, ${renamed.join(', ')}` : ''}); a flag wins over both.`;
  return `${wrap(text, 100)}
      --config FILE     read the defaults from FILE instead (also ${CONFIG_ENV_VAR})`;
}

/**
 * The one statement of what each exit code means, for every command (README has the same table). Only the
 * gates – scan, diff, and fix when something is left – exit 1 for findings.
 */
export const EXIT_CODES_HELP = `Exit codes:
  0  success: demo, plan, collect, controls, explain and iam-policy did their job; scan found every
     check passed (or suppressed, or below --fail-on); diff found nothing worse; fix left nothing to fix
  1  a gate found something: scan (a check failed or could not be assessed, at or above --fail-on),
     diff (something newly fails or is newly unknown), fix (something still fails, or the dry run
     found something to fix)
     fix --rollback: everything is undone (0)
  2  bad usage or input: an unknown command, flag, control or Region, an unreadable or malformed
     file or journal, a profile that does not exist (--profile or AWS_PROFILE), an expired suppression
  3  could not run: no or rejected credentials, AWS unreachable or an endpoint that is not AWS;
     fix --apply: a step failed and was rolled back; fix --rollback: an undo failed
  130  fix --apply was interrupted (Ctrl-C, SIGTERM) and what it had done was rolled back`;

export const MAIN_HELP = `trailcheck ${TOOL_VERSION} – assesses an AWS account's CloudTrail posture against the CIS AWS
Foundations Benchmark and AWS Security Hub controls, and explains the result in plain language.

Usage:
  trailcheck scan      assess the account behind your AWS credentials
  trailcheck collect   gather the evidence into a snapshot file, without assessing it
  trailcheck demo      assess a built-in example account (no AWS account needed)
  trailcheck controls  list the controls, their severities and framework numbering
  trailcheck explain   what a control checks, why it matters and how to fix it
  trailcheck diff      compare two JSON reports: what got fixed, what newly fails
  trailcheck plan      the action plan alone: AWS CLI, Terraform, CloudFormation, Markdown or JSON
  trailcheck fix       apply the plan (a dry run unless --apply), undoing it if a step fails
  trailcheck iam-policy  the least-privilege IAM policy a scan, a fix or an organization scan needs
  trailcheck completion  a completion script for bash or zsh: source <(trailcheck completion bash)
  trailcheck serve     keep watch: scheduled scans, history, a dashboard, alerts and an HTTP API
  trailcheck worker    take scan jobs from a PostgreSQL-backed serve, on any number of machines

Run 'trailcheck <command> --help' for a command's options.
Other: trailcheck -V (--version), trailcheck --help

${EXIT_CODES_HELP}`;

const OUTPUT_HELP = `Output:
${settingLines('format')}
  -o, --output FILE     write the report to FILE instead of standard output (without --format, the
                        ending decides: .md .html .json .sarif(.json) .asff.json .ocsf.json .csv
                        .junit.xml; a --format that contradicts the ending is refused)
${settingLines('output-dir', 'output-name', 'audience')}

Judging the result:
${settingLines('fail-on', 'ignore')}:
                          suppressions:
                            - control: CloudTrail.7
                              resource: my-trail-bucket   # name or ARN; "*" for every resource
                              reason: access is logged by the organization's log archive
                              expires: 2026-12-31         # through this day (UTC)
                        Suppressed findings are reported as such and do not fail the run;
                        an expired entry no longer applies and the run exits 2.`;

const SELECTION_HELP = settingLines('controls', 'framework');

/** The controls' own options, from their declarations in the controls' folders. */
const ASSESS = CONTROL_OPTION_FLAGS;

const ASSESS_HELP = `Judgement:
${settingLines(...ASSESS)}`;

const ACCESS_HELP = `AWS access (the standard AWS SDK credential chain: environment, profiles, SSO, roles):
${settingLines('profile', 'region', 'timeout')}
  AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) point trailcheck at another endpoint, e.g. an emulator.`;

const ORGANIZATION = ORGANIZATION_SETTINGS;

const ORGANIZATION_HELP = `A whole AWS Organization (run with the management account's or a delegated administrator's credentials):
      --org             list the organization's accounts and assess every one: the caller's own account
                        with its credentials, each other through a role assumed in it
${settingLines(...ORGANIZATION)}`;

/** plan and fix in org mode: one plan per account, changes only in the accounts named. */
const REMEDIATION_ORGANIZATION_HELP = `A whole AWS Organization (run with the management account's or a delegated administrator's credentials):
      --org             one plan per account, built from that account's own findings (a member's with the
                        organization trails counted); an organization trail's fixes are the management
                        account's. --snapshot takes an organization snapshot from 'collect --org' too
                        (with it, only --accounts applies)
${settingLines(...ORGANIZATION)}`;

const ACCESS = ['profile', 'region', 'timeout'] as const;
const SELECTION = ['controls', 'framework'] as const;
const REPORT = ['format', 'output-dir', 'output-name', 'audience', 'fail-on', 'ignore'] as const;

export const SCAN_HELP = `Usage: trailcheck scan [options]

Assesses the account behind your AWS credentials (or, with --org, every account of its AWS Organization)
and prints the result.

${ACCESS_HELP}

${ORGANIZATION_HELP}

Controls and input:
${SELECTION_HELP}
      --snapshot FILE   assess a snapshot made by 'trailcheck collect' (or 'collect --org') instead of
                        calling AWS
      --per-account     with --org (or an organization snapshot) and --output-dir: also each account's
                        own reports, in DIR/accounts/, written as each account completes

${ASSESS_HELP}

${OUTPUT_HELP}

${defaultsHelp(...ACCESS, ...ORGANIZATION, ...SELECTION, ...ASSESS, ...REPORT)}`;

export const COLLECT_HELP = `Usage: trailcheck collect [options]

Gathers the evidence the controls need into a snapshot (JSON), which 'trailcheck scan --snapshot FILE'
assesses later, anywhere, without AWS access. With --org: one snapshot of the whole organization, written
as each account completes.

${ACCESS_HELP}

${ORGANIZATION_HELP}

${SELECTION_HELP}
  -o, --output FILE     write the snapshot to FILE (default: standard output)

${defaultsHelp(...ACCESS, ...ORGANIZATION, ...SELECTION)}`;

export const DEMO_HELP = `Usage: trailcheck demo [options]

Assesses the built-in example account (the trail MooncloudCisTest) from a snapshot shipped with trailcheck.
No AWS account or network is needed. By default it shows the seed report's four checks (CloudTrail.1, .2,
.4 and .7); --controls all shows every check. It exits 0 whatever the findings: it is not a gate.

${SELECTION_HELP}

${ASSESS_HELP}

${OUTPUT_HELP}

${defaultsHelp(...SELECTION, ...ASSESS, ...REPORT)}`;

export const CONTROLS_HELP = `Usage: trailcheck controls [options]

Lists every control with its severity, what it applies to and its CIS numbering.

      --framework NAME  only that framework's controls, in its numbering
  -f, --format FORMAT   text (default), markdown or json
  -o, --output FILE     write the list to FILE`;

export const EXPLAIN_HELP = `Usage: trailcheck explain CONTROL [--framework NAME]

Prints what a control checks, what the feature does, why it matters, how to fix it, and the permissions
trailcheck needs to assess it. Example: trailcheck explain CloudTrail.4

      --framework NAME  CONTROL may be that framework's number: trailcheck explain 3.2 --framework cis-3.0`;

export const DIFF_HELP = `Usage: trailcheck diff OLD.json NEW.json [options]

Compares two JSON reports of the same account (made with --format json): what got fixed, what
newly fails or can no longer be assessed, what is unchanged, and which resources came or went.
Exits 1 when something got worse, 0 otherwise.

Output:
  -f, --format FORMAT   text (default), markdown or json
  -o, --output FILE     write the diff to FILE (the ending .md or .json chooses the format)`;

const REMEDIATION_INPUT_HELP = `${ACCESS_HELP}

Controls and input:
${SELECTION_HELP}
      --snapshot FILE   plan from a snapshot made by 'trailcheck collect' (fix: dry run only)
      --kms-key ARN     CloudTrail.2: encrypt with this existing key (in the bucket's Region) instead of
                        creating a key per trail
      --ignore FILE     the suppression file of 'trailcheck scan': the findings it accepts are left as
                        they are and listed apart (an expired entry no longer applies)

${ASSESS_HELP}`;

export const PLAN_HELP = `Usage: trailcheck plan [options]

Prints the action plan for every check that failed or could not be assessed: each step in one sentence
with your real names, ordered by what it needs first, then severity, then effort. It changes nothing.

${REMEDIATION_INPUT_HELP}

${REMEDIATION_ORGANIZATION_HELP}
  With --org: Markdown has a section per account, cli a section per account that runs only with that
  account's credentials, json {organization, accounts: [{account, name, plan}]}; terraform and
  cloudformation need exactly one account (--accounts ID).

Output:
  -f, --format F        markdown (default), cli (a bash script of AWS CLI commands), terraform,
                        cloudformation, or json (the plan itself: actions, calls, undos, dependencies)
  -o, --output FILE     write it to FILE (.sh .tf .yaml .json .md choose the format)

${defaultsHelp(...ACCESS, ...SELECTION, ...ASSESS, 'ignore')}

It exits 0 when the plan was made, with steps or without ('trailcheck --help' lists the exit codes).`;

export const FIX_HELP = `Usage: trailcheck fix [--apply [--yes]] [options]

Without --apply, a dry run: every API call the fix would make, in order, with its parameters and its
undo. With --apply, it asks for confirmation (--yes skips the question; without a terminal, --yes is
required), makes the calls, then checks the changed controls again and shows before and after.
If a step fails, or the run is interrupted (Ctrl-C, SIGTERM: the call in flight finishes first), the steps
done are undone in reverse order and it says exactly what the account looks like. A second interrupt
warns; a third stops the rollback before its next call. It never deletes a trail, a bucket with data, or
a key; it never turns a setting down.

Every step is recorded before and after its call in a journal (named on stderr at the start), by default
./.trailcheck/journal/ACCOUNT-TIME.jsonl.

${REMEDIATION_INPUT_HELP}
  --journal FILE        with --apply: record the run in FILE (a new file)
  --rollback JOURNAL    undo what a killed --apply left done, from its journal (with --profile as for
                        --apply); safe to run again

${REMEDIATION_ORGANIZATION_HELP}
  With --org, fix is a dry run for every account. --apply needs --accounts ID,ID and changes only those
  accounts, one at a time, each with its own credentials (yours for your account, the role for members)
  and its own journal; the question names every account. If an account's step fails or the run is
  interrupted, that account is rolled back and the run stops: it says which accounts were changed and
  kept, which was rolled back, and which were not touched.

Output:
  -f, --format F        text (default) or json
  -o, --output FILE     write the report to FILE

${defaultsHelp(...ACCESS, ...SELECTION, ...ASSESS, 'ignore')}

It exits 1 when something is left to fix (see 'trailcheck --help' for every exit code).`;

export const IAM_POLICY_HELP = `Usage: trailcheck iam-policy --for scan|fix|org [options]

Prints the least-privilege IAM policy (JSON) that 'trailcheck scan' or 'trailcheck fix' needs for the
chosen controls: the scan's read-only actions; for fix also the name checks, every write its fixes make,
their undos, and iam:PassRole for the CloudWatch Logs role only.

--for org prints what 'trailcheck scan --org' needs, as one JSON object:
  managementPolicy   for the management account (or delegated administrator) that runs the scan:
                     the Organizations reads, sts:AssumeRole on the member role
                     (arn:aws:iam::*:role/NAME) and the scan policy, since that account is scanned
                     with its own credentials
  memberPolicy       the member role's permissions: the scan policy, read-only
  memberTrustPolicy  the member role trusts the management account only (with sts:ExternalId when
                     --external-id is given)
  stackSetTemplate   a CloudFormation template (YAML) that creates the member role, parameters
                     ManagementAccountId and ExternalId, for a service-managed StackSet
  deployCommands     the two aws commands that deploy it to every account of the organization
  scanCommand        the scan that uses the role
The default role is a dedicated read-only TrailcheckAudit, not OrganizationAccountAccessRole (the
default of scan --org): Organizations creates that one as an administrator of the account, far more
than an audit needs. Name OrganizationAccountAccessRole and you get its policies but no template
(the role exists already).

${SELECTION_HELP}
  -o, --output FILE     write the policy to FILE

Organization (--for org only):
      --role-name NAME  the role scan --org assumes in each member (default TrailcheckAudit)
      --external-id ID  the external id the role requires (2 to 1224 of letters, digits, +=,.@:/_-)
      --management-account ID
                        the 12-digit account id the role trusts (default: MANAGEMENT_ACCOUNT_ID, to
                        replace)
  -f, --format F        json (default) or cloudformation: the template alone, the deploy commands in
                        its comments, e.g. -f cloudformation -o trailcheck-audit-role.yaml

${defaultsHelp(...SELECTION)}`;

export const COMPLETION_HELP = `Usage: trailcheck completion bash|zsh

Prints a completion script: commands, each command's flags, control ids, formats and frameworks.
  bash:  source <(trailcheck completion bash)     (add the line to ~/.bashrc to keep it)
  zsh:   source <(trailcheck completion zsh)      (after compinit, e.g. in ~/.zshrc), or save it as
         _trailcheck in a folder on $fpath`;

export const SERVE_HELP = `Usage: trailcheck serve [options]

Runs the service: scans on schedules or on demand, every assessment kept with its evidence, a
dashboard, alerts when a control regresses or recovers, and a JSON API (/api/openapi.json).
Scans use this process's AWS credentials (the standard chain); the service stores no AWS secret.

      --port N          listen on port N (default 8080; 0: any free port)
      --host ADDRESS    listen on ADDRESS (default 127.0.0.1: this machine only)
      --data DIR        keep everything in DIR (default ./trailcheck-data), in an embedded store
      --database URL    use PostgreSQL instead (postgres://user:password@host:5432/db; or set
                        TRAILCHECK_DATABASE_URL); 'trailcheck worker' processes can then share the scans
      --jobs N          scans run at once by this process (default 1); with --database, 0 leaves
                        every scan to 'trailcheck worker' processes
      --alert-webhook URL  post alerts (Slack-compatible JSON) to URL; repeat or comma-separate for
                        more (or set TRAILCHECK_ALERT_WEBHOOK)
      --alert-sns-topic ARN  publish alerts to this SNS topic, with this process's AWS credentials
                        (or set TRAILCHECK_ALERT_SNS_TOPIC)
  -h, --help            this help

Alerts come once per change: when a control regresses (PASS → FAIL or UNKNOWN), a new resource fails,
an account or the whole target can no longer be assessed, and when it recovers; the first scan of a
target is its baseline. Each is kept (GET /api/alerts) and links to its scan in the dashboard
(TRAILCHECK_PUBLIC_URL: the dashboard's address as people reach it, when not the listening one).

Access: every request but /healthz needs a token. TRAILCHECK_API_TOKEN sets an admin token; without it,
one is made at first start and shown once. Admins make read-only tokens with POST /api/tokens.
Stop with Ctrl-C or SIGTERM: running scans go back on the queue and run at the next start.
With --database, scans are jobs on a queue in that database (pg-boss, schema pgboss): an organization
scan is one job per account, failed jobs are retried with backoff, and a job whose process died is
retried once its heartbeat stops (TRAILCHECK_JOB_HEARTBEAT_SECONDS, default 30).`;

export const WORKER_HELP = `Usage: trailcheck worker --database URL [options]

Takes scan jobs from the queue of a 'trailcheck serve --database URL' and runs them, on this machine,
with this process's AWS credentials. Run as many as you like, on as many machines: an organization
scan is one job per account, and no account is scanned by two jobs at once.

      --database URL    the service's PostgreSQL store (or set TRAILCHECK_DATABASE_URL)
      --jobs N          jobs run at once by this process (default 1, at most 16)
  -h, --help            this help

Stop with Ctrl-C or SIGTERM: running jobs get TRAILCHECK_JOB_STOP_SECONDS (default 30) to finish,
then go back on the queue for another worker. A worker killed outright has its job retried once its
heartbeat stops (TRAILCHECK_JOB_HEARTBEAT_SECONDS, default 30; at least 10). Failed jobs are retried
TRAILCHECK_JOB_RETRIES times (default 3) with a doubling delay, then their scan is marked failed.`;
