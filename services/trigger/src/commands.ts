// The comment commands trigger understands, with Prow's exact regexes (pkg/pjutil/filter.go,
// pkg/pjutil/help.go, pkg/markdown/code_block.go), evaluated with RE2 semantics (re2js): every
// pattern means what it means in Prow, and none can backtrack forever on a hostile comment.
import { RE2JS } from 're2js';

const re = (p: string): RE2JS => RE2JS.compile(p);
const test = (r: RE2JS, s: string): boolean => r.matcher(s).find();

export const TestAllRe = re('(?m)^/test all,?($|\\s.*)');
export const RetestRe = re('(?m)^/retest\\s*$');
export const RetestRequiredRe = re('(?m)^/retest-required\\s*$');
export const TestManualRequiredRe = re('(?m)^/test-manual-required\\s*$');
export const OkToTestRe = re('(?m)^/ok-to-test\\s*$');
export const OkToTestCancelRe = re('(?m)^/ok-to-test\\s+cancel\\s*$');
export const TestHelpRe = re('(?m)^/test[ \\t]*\\?\\s*$');
export const EmptyTestRe = re('(?m)^/test\\s*$');
export const RetestWithTargetRe = re('(?m)^/retest[ \\t]+\\S+');
export const TestWithAnyTargetRe = re('(?m)^/test[ \\t]+\\S+');
const AnyTestRe = re('(?m)^/(?:re)?test\\b');
const CodeBlockRe = re('(?msU)^```.*(\\n```\\n|\\n```$)|(?msU)^~~~.*(\\n~~~\\n|\\n~~~$)');

export const matches = test;

/** markdown.DropCodeBlock: fenced blocks never trigger anything. */
export function dropCodeBlock(text: string): string {
  return CodeBlockRe.matcher(text).replaceAll('');
}

export function mayNeedHelpComment(body: string): boolean {
  return (
    test(EmptyTestRe, body) ||
    test(RetestWithTargetRe, body) ||
    test(TestWithAnyTargetRe, body) ||
    test(TestHelpRe, body)
  );
}

export const Notes = {
  testWithoutTarget: 'The `/test` command needs one or more targets.\n',
  retestWithTarget: 'The `/retest` command does not accept any targets.\n',
  targetNotFound: 'The specified target(s) for `/test` were not found.\n',
  noTestAllJobs: 'No jobs can be run with `/test all`.\n',
} as const;

/** pjutil.ShouldRespondWithHelp: whether (and with which note) to answer with the help comment. */
export function shouldRespondWithHelp(
  body: string,
  toRun: number,
): { help: boolean; note: string } {
  if (test(TestHelpRe, body)) return { help: true, note: '' };
  if (test(EmptyTestRe, body)) return { help: true, note: Notes.testWithoutTarget };
  if (test(RetestWithTargetRe, body)) return { help: true, note: Notes.retestWithTarget };
  if (toRun === 0 && test(TestAllRe, body)) return { help: true, note: Notes.noTestAllJobs };
  if (toRun === 0 && test(TestWithAnyTargetRe, body))
    return { help: true, note: Notes.targetNotFound };
  return { help: false, note: '' };
}

/** pjutil.ShouldRespondByPruningHelp: a `/test` or `/retest` comment prunes earlier help. */
export function shouldPruneHelp(body: string): boolean {
  return test(AnyTestRe, body);
}

const AVAILABLE_REQUIRED = 'The following commands are available to trigger required jobs:';
const AVAILABLE_OPTIONAL = 'The following commands are available to trigger optional jobs:';

/** pjutil.IsHelpComment: a comment containing any of these is a help comment. */
export const HELP_COMMENT_MARKERS: readonly string[] = [
  Notes.testWithoutTarget,
  Notes.retestWithTarget,
  Notes.targetNotFound,
  Notes.noTestAllJobs,
  // The answer to "/test ?" has no note, so the list headers count too.
  AVAILABLE_REQUIRED,
  AVAILABLE_OPTIONAL,
];

/** pjutil.HelpMessage */
export function helpMessage(
  org: string,
  repo: string,
  branch: string,
  note: string,
  testAllNames: Set<string>,
  optionalCommands: Set<string>,
  requiredCommands: Set<string>,
): string {
  if (testAllNames.size + optionalCommands.size + requiredCommands.size === 0) {
    return `No presubmit jobs available for ${org}/${repo}@${branch}`;
  }
  const list = (names: Set<string>): string =>
    [...names]
      .sort()
      .map((n) => `\n\`\`\`\n${n}\n\`\`\``)
      .join('');
  let resp = note;
  if (requiredCommands.size > 0) {
    resp += `${AVAILABLE_REQUIRED}${list(requiredCommands)}\n\n`;
  }
  if (optionalCommands.size > 0) {
    resp += `${AVAILABLE_OPTIONAL}${list(optionalCommands)}\n\n`;
  }
  if (testAllNames.size === optionalCommands.size + requiredCommands.size) {
    resp += 'Use `/test all` to run all jobs.\n';
  } else if (testAllNames.size > 0) {
    resp += `Use \`/test all\` to run the following jobs that were automatically triggered:${list(testAllNames)}\n\n`;
  }
  return resp;
}
