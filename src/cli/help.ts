import { TOOL_VERSION } from '../version.js';

export const MAIN_HELP = `trailcheck ${TOOL_VERSION} – assesses an AWS account's CloudTrail posture against the CIS AWS
Foundations Benchmark and AWS Security Hub controls, and explains the result in plain language.

Usage:
  trailcheck scan      assess the account behind your AWS credentials
  trailcheck collect   gather the evidence into a snapshot file, without assessing it
  trailcheck demo      assess a built-in example account (no AWS account needed)

Run 'trailcheck <command> --help' for a command's options.
Other: trailcheck --version, trailcheck --help

Exit codes: 0 every check passed, 1 a check failed or could not be assessed,
            2 bad usage or input, 3 the assessment could not run.`;

const OUTPUT_HELP = `Output:
  -f, --format FORMAT   text (default), markdown or json
  -o, --output FILE     write the report to FILE instead of standard output
                        (the format follows the extension .md or .json unless --format is given)`;

const SELECTION_HELP = `  -c, --controls IDS    only these controls, e.g. CloudTrail.1,CloudTrail.4`;

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

${OUTPUT_HELP}`;

export const COLLECT_HELP = `Usage: trailcheck collect [options]

Gathers the evidence the controls need into a snapshot (JSON), which 'trailcheck scan --snapshot FILE'
assesses later, anywhere, without AWS access.

${ACCESS_HELP}

${SELECTION_HELP}
  -o, --output FILE     write the snapshot to FILE (default: standard output)`;

export const DEMO_HELP = `Usage: trailcheck demo [options]

Assesses the built-in example account (the trail MooncloudCisTest) from a snapshot shipped with trailcheck.
No AWS account or network is needed.

${SELECTION_HELP}

${OUTPUT_HELP}`;
