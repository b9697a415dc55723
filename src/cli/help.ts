import { TOOL_VERSION } from '../version.js';

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
  trailcheck iam-policy  the least-privilege IAM policy a scan or a fix needs

Run 'trailcheck <command> --help' for a command's options.
Other: trailcheck -V (--version), trailcheck --help

Exit codes: 0 every check passed, 1 a check failed or could not be assessed (at or above
            --fail-on, if given), 2 bad usage or input (or an expired suppression),
            3 the assessment could not run.`;

const OUTPUT_HELP = `Output:
  -f, --format F[,F]    text (default), markdown, html, json, sarif, asff, ocsf, csv, junit;
                        several at once with --output-dir, e.g. --format html,json
  -o, --output FILE     write the report to FILE instead of standard output (without --format,
                        the ending decides: .md .html .json .sarif .asff.json .ocsf.json .csv .xml)
      --output-dir DIR  write one file per format into DIR (created if missing):
                        trailcheck-report.html, trailcheck-report.json, …
      --audience WHO    executive (short and plain) or engineer (default: adds the evidence
                        and the AWS CLI commands); for text, markdown and html

Judging the result:
      --fail-on LEVEL   exit 1 only for findings at or above low, medium, high or critical
                        (default: any finding that failed or could not be assessed)
      --ignore FILE     a suppression file (YAML or JSON) of accepted findings:
                          suppressions:
                            - control: CloudTrail.7
                              resource: my-trail-bucket   # name or ARN; "*" for every resource
                              reason: access is logged by the organization's log archive
                              expires: 2026-12-31         # through this day (UTC)
                        Suppressed findings are reported as such and do not fail the run;
                        an expired entry no longer applies and the run exits 2.`;

const SELECTION_HELP = `  -c, --controls IDS    only these controls, e.g. CloudTrail.1,CloudTrail.4 ('all' for every control)
      --framework NAME  a framework's controls, with its numbering in the report:
                        cis-1.2, cis-1.4, cis-3.0, cis-4.0, cis-5.0 or securityhub`;

const ASSESS_HELP = `Judgement:
      --required-tags K,K     tag keys every trail must carry (CloudTrail.9; default: any tag)
      --retention-days N      how long log files must be kept (TC.BucketRetention; default 365)
      --max-delivery-age H    hours since a trail's last delivery before it counts as stale
                              (TC.DeliveryHealth; default 24)`;

const ACCESS_HELP = `AWS access (the standard AWS SDK credential chain: environment, profiles, SSO, roles):
      --profile NAME    use a named profile from ~/.aws/config
      --region A,B      only these Regions (default: every enabled Region)
      --timeout SECONDS the most time to wait for one Region's answers, retries included
                        (default 120); what a Region that runs out could not answer is UNKNOWN
  AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) point trailcheck at another endpoint, e.g. an emulator.`;

export const SCAN_HELP = `Usage: trailcheck scan [options]

Assesses the account behind your AWS credentials and prints the result.

${ACCESS_HELP}

Controls and input:
${SELECTION_HELP}
      --snapshot FILE   assess a snapshot made by 'trailcheck collect' instead of calling AWS

${ASSESS_HELP}

${OUTPUT_HELP}`;

export const COLLECT_HELP = `Usage: trailcheck collect [options]

Gathers the evidence the controls need into a snapshot (JSON), which 'trailcheck scan --snapshot FILE'
assesses later, anywhere, without AWS access.

${ACCESS_HELP}

${SELECTION_HELP}
  -o, --output FILE     write the snapshot to FILE (default: standard output)`;

export const DEMO_HELP = `Usage: trailcheck demo [options]

Assesses the built-in example account (the trail MooncloudCisTest) from a snapshot shipped with trailcheck.
No AWS account or network is needed. By default it shows the seed report's four checks (CloudTrail.1, .2,
.4 and .7); --controls all shows every check.

${SELECTION_HELP}

${ASSESS_HELP}

${OUTPUT_HELP}`;

export const CONTROLS_HELP = `Usage: trailcheck controls [options]

Lists every control with its severity, what it applies to and its CIS numbering.

      --framework NAME  only that framework's controls, in its numbering
  -f, --format FORMAT   text (default), markdown or json
  -o, --output FILE     write the list to FILE`;

export const EXPLAIN_HELP = `Usage: trailcheck explain CONTROL

Prints what a control checks, what the feature does, why it matters, how to fix it, and the permissions
trailcheck needs to assess it. Example: trailcheck explain CloudTrail.4`;

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

Output:
  -f, --format F        markdown (default), cli (a bash script of AWS CLI commands), terraform,
                        cloudformation, or json (the plan itself: actions, calls, undos, dependencies)
  -o, --output FILE     write it to FILE (.sh .tf .yaml .json .md choose the format)

Exit codes: 0 nothing to do, 1 the plan has steps, 2 bad usage, 3 could not run.`;

export const FIX_HELP = `Usage: trailcheck fix [--apply [--yes]] [options]

Without --apply, a dry run: every API call the fix would make, in order, with its parameters and its
undo. With --apply, it asks for confirmation (--yes skips the question; without a terminal, --yes is
required), makes the calls, then checks the changed controls again and shows before and after.
If a step fails, the steps before it are undone in reverse order and it says exactly what the account
looks like. It never deletes a trail, a bucket with data, or a key; it never turns a setting down.

${REMEDIATION_INPUT_HELP}

Output:
  -f, --format F        text (default) or json
  -o, --output FILE     write the report to FILE

Exit codes: 0 everything planned was applied and passes, 1 something still fails (or the dry run found
            something to fix), 2 bad usage, 3 a step failed and was rolled back (or could not run).`;

export const IAM_POLICY_HELP = `Usage: trailcheck iam-policy --for scan|fix [options]

Prints the least-privilege IAM policy (JSON) that 'trailcheck scan' or 'trailcheck fix' needs for the
chosen controls: the scan's read-only actions; for fix also the name checks, every write its fixes make,
their undos, and iam:PassRole for the CloudWatch Logs role only.

${SELECTION_HELP}
  -o, --output FILE     write the policy to FILE`;
