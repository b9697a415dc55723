import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Log bucket not public',
  topic: 'a private log bucket',
  checks:
    'No bucket a trail of the account delivers to is public: no ACL grant to AllUsers or AuthenticatedUsers, and no bucket-policy statement that allows anyone ("*") without a limiting condition (a fixed aws:SourceArn, aws:SourceAccount, aws:SourceVpce, aws:PrincipalOrgID…, as S3 defines "public"); GetBucketPolicyStatus is taken into account when it says public. Block Public Access at bucket or account level neutralises what it covers (IgnorePublicAcls for ACLs, RestrictPublicBuckets for policies). One finding per bucket.',
  whatItDoes:
    'Keeps the bucket that holds your CloudTrail logs readable only by the people and services you chose.',
  whyItMatters:
    'A public log bucket hands anyone a map of your account – every user, every resource, every API call – and lets them see what you would notice.',
  whyFix: 'Keeps your audit trail from becoming an attacker’s map',
  action: 'make the log bucket private',
  howToFix:
    'Turn on all four Block Public Access settings for the bucket (aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true), remove ACL grants to AllUsers and AuthenticatedUsers, and remove bucket-policy statements that allow "*" without a limiting condition. Better still, turn Block Public Access on for the whole account.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail bucket in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Your CloudTrail bucket ${code(names[0] as string)} is not publicly accessible.`
          : rich`None of the ${countWord(names.length)} CloudTrail buckets (${nameList(names)}) is publicly accessible.`,
      someFail: (failed) =>
        rich`Your CloudTrail bucket ${nameList(failed)} ${failed.length === 1 ? 'is' : 'are'} open to the public.`,
      unknown: (names) => rich`Public access could not be determined for ${nameList(names)}.`,
    }),
};
