// A plugin declares the events it handles (Prow's per-event handler maps, without init() globals).
import type { EventComment, EventPullRequest, EventPush, GitHubEvent } from '@jetprow/schemas';
import type { Trigger } from '@jetprow/config';
import type { TriggerClient } from './context.js';

export interface PluginHandlers {
  genericComment?(
    c: TriggerClient,
    t: Trigger,
    ev: GitHubEvent,
    gc: EventComment,
  ): Promise<string[]>;
  pullRequest?(
    c: TriggerClient,
    t: Trigger,
    ev: GitHubEvent,
    pr: EventPullRequest,
  ): Promise<string[]>;
  push?(c: TriggerClient, t: Trigger, ev: GitHubEvent, push: EventPush): Promise<string[]>;
}

export interface Plugin {
  name: string;
  handles: PluginHandlers;
  help: string;
}
