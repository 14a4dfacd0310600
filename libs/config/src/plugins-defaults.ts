// plugins.yaml defaults (Prow's Configuration.setDefaults, pkg/plugins/config.go) and the names
// of Prow's plugins (pkg/hook/plugin-imports), for checkconfig's unknown-plugin check.
import { isObject } from './section-util.js';

type Obj = Record<string, unknown>;

/** Every plugin Prow's hook registers (pkg/hook/plugin-imports), as of Prow a619408. */
export const KNOWN_PLUGINS: readonly string[] = [
  'approve',
  'assign',
  'blockade',
  'blunderbuss',
  'branchcleaner',
  'bugzilla',
  'buildifier',
  'cat',
  'cherry-pick-approved',
  'cherry-pick-unapproved',
  'cla',
  'config-updater',
  'dco',
  'dog',
  'golint',
  'goose',
  'heart',
  'help',
  'hold',
  'invalidcommitmsg',
  'issue-management',
  'jira',
  'label',
  'lgtm',
  'lifecycle',
  'merge-method-comment',
  'mergecommitblocker',
  'milestone',
  'milestoneapplier',
  'milestonestatus',
  'override',
  'owners-label',
  'pony',
  'project',
  'project-manager',
  'release-note',
  'require-matching-label',
  'retitle',
  'rifle',
  'shrug',
  'sigmention',
  'size',
  'skip',
  'slackevents',
  'stage',
  'testfreeze',
  'trick-or-treat',
  'trigger',
  'verify-owners',
  'welcome',
  'wip',
  'yuks',
];

const WAIT_FOR_STATUS_DESCRIPTION =
  'Not mergeable. (PullRequest is missing sufficient approving GitHub review\\(s\\)|Needs (lgtm|approved|approved, lgtm) labels?)\\.?';
const SIG_MENTION_REGEXP =
  '(?m)@kubernetes/sig-([\\w-]*)-(misc|test-failures|bugs|feature-requests|proposals|pr-reviews|api-reviews)';
const CHERRY_PICK_BRANCH = '^release-.*$';
const CHERRY_PICK_UNAPPROVED_COMMENT =
  'This PR is not for the master branch but does not have the `cherry-pick-approved`  label. Adding the `do-not-merge/cherry-pick-not-approved`  label.';

const obj = (v: unknown): Obj => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Configuration.setDefaults for the sections it defaults; returns the new sections. */
export function pluginDefaults(c: Obj): Obj {
  const out: Obj = {};
  out.help = {
    ...obj(c.help),
    help_guidelines_url:
      (obj(c.help).help_guidelines_url as string | undefined) ||
      'https://git.k8s.io/community/contributors/guide/help-wanted.md',
  };
  const maps = obj(obj(c.config_updater).maps);
  const defaultedMaps: Obj =
    Object.keys(maps).length > 0
      ? maps
      : {
          'config/prow/config.yaml': { name: 'config' },
          'config/prow/plugins.yaml': { name: 'plugins' },
        };
  const withClusters: Obj = {};
  for (const [file, spec] of Object.entries(defaultedMaps)) {
    const s = obj(spec);
    const none = Object.keys(obj(s.clusters)).length === 0 && list(s.cluster_groups).length === 0;
    withClusters[file] = none ? { ...s, clusters: { default: [''] } } : s;
  }
  out.config_updater = { ...obj(c.config_updater), maps: withClusters };
  for (const key of ['blunderbuss', 'rifle']) {
    const b = obj(c[key]);
    const d: Obj = { ...b, request_count: b.request_count ?? 2 };
    if (isObject(b.wait_for_status)) {
      const w = b.wait_for_status;
      d.wait_for_status = {
        ...w,
        context: w.context || 'tide',
        state: w.state || 'pending',
        description: w.description || WAIT_FOR_STATUS_DESCRIPTION,
      };
    }
    out[key] = d;
  }
  out.sigmention = { ...obj(c.sigmention), regexp: obj(c.sigmention).regexp || SIG_MENTION_REGEXP };
  const owners = obj(c.owners);
  out.owners = { ...owners, labels_denylist: owners.labels_denylist ?? ['approved', 'lgtm'] };
  const cpu = obj(c.cherry_pick_unapproved);
  out.cherry_pick_unapproved = {
    ...cpu,
    branchregexp: cpu.branchregexp || CHERRY_PICK_BRANCH,
    comment: cpu.comment || CHERRY_PICK_UNAPPROVED_COMMENT,
  };
  if (c.cherry_pick_approved !== undefined) {
    out.cherry_pick_approved = list(c.cherry_pick_approved).map((e) => ({
      ...obj(e),
      branchregexp: obj(e).branchregexp || CHERRY_PICK_BRANCH,
    }));
  }
  if (c.require_matching_label !== undefined) {
    out.require_matching_label = list(c.require_matching_label).map((e) => ({
      ...obj(e),
      grace_period: obj(e).grace_period || '5s',
    }));
  }
  const milestones = obj(c.repo_milestone);
  if (Object.keys(milestones).length > 0) {
    const m: Obj = {};
    for (const [k, v] of Object.entries(milestones)) {
      m[k] = {
        ...obj(v),
        maintainers_friendly_name: obj(v).maintainers_friendly_name || 'SIG Chairs/TLs',
      };
    }
    out.repo_milestone = m;
  }
  out.release_note = {
    ...obj(c.release_note),
    guidelines_url:
      obj(c.release_note).guidelines_url ||
      'https://git.k8s.io/community/contributors/guide/release-notes.md',
  };
  return out;
}
