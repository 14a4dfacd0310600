// The normalized GitHub event hook publishes on `prow.events.<event>.<org>.<repo>`.
// Small and typed: plugins read these fields; the raw payload rides along (`raw`) when the message
// fits the bus's max payload, otherwise it is kept whole in the object store (`raw_ref`).
import Type from 'typebox';

const Open = { additionalProperties: true } as const;
const Str = Type.String();
const Labels = Type.Array(Str);

export const EventPullRequest = Type.Object(
  {
    number: Type.Integer(),
    state: Str,
    draft: Type.Boolean(),
    merged: Type.Boolean(),
    mergeable: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    title: Str,
    author: Str,
    author_link: Type.Optional(Str),
    head_sha: Str,
    head_ref: Str,
    base_ref: Str,
    base_sha: Str,
    html_url: Str,
    labels: Labels,
  },
  Open,
);
export type EventPullRequest = Type.Static<typeof EventPullRequest>;

/** A comment in Prow's GenericCommentEvent sense: issue/PR comments, review bodies, PR bodies. */
export const EventComment = Type.Object(
  {
    action: Type.Union([Type.Literal('created'), Type.Literal('edited'), Type.Literal('deleted')]),
    id: Type.Integer(),
    body: Str,
    author: Str,
    html_url: Str,
    is_pr: Type.Boolean(),
    number: Type.Integer(),
    issue_state: Str,
    issue_author: Str,
  },
  Open,
);
export type EventComment = Type.Static<typeof EventComment>;

export const EventPush = Type.Object(
  {
    ref: Str,
    before: Str,
    after: Str,
    created: Type.Boolean(),
    deleted: Type.Boolean(),
    compare: Str,
    repo_link: Str,
    pusher: Str,
    changed_files: Type.Array(Str),
  },
  Open,
);
export type EventPush = Type.Static<typeof EventPush>;

export const GitHubEvent = Type.Object(
  {
    delivery: Str,
    event: Str,
    action: Type.Optional(Str),
    /** Owner login of the repository, or the organization; '' when the event has neither. */
    org: Str,
    /** Repository name; '' for org-level events. */
    repo: Str,
    received_at: Str,
    sender: Type.Optional(Str),
    pull_request: Type.Optional(EventPullRequest),
    comment: Type.Optional(EventComment),
    push: Type.Optional(EventPush),
    /** The label added or removed, for `labeled` / `unlabeled`. */
    label: Type.Optional(Str),
    /** `pull_request` `edited` with `changes.base`: the base branch changed. */
    base_changed: Type.Optional(Type.Boolean()),
    raw: Type.Optional(Type.Unknown()),
    raw_ref: Type.Optional(Type.Object({ bucket: Str, name: Str, size: Type.Integer() })),
  },
  Open,
);
export type GitHubEvent = Type.Static<typeof GitHubEvent>;
