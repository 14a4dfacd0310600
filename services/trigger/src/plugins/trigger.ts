import type { Plugin } from '../plugin.js';
import { handleGenericComment } from '../generic-comment.js';
import { handlePullRequest } from '../pull-request.js';
import { handlePush } from '../push.js';

export const trigger: Plugin = {
  name: 'trigger',
  help:
    'The trigger plugin starts tests in reaction to commands and pull request events. ' +
    'Commands: /test <job>, /test all, /retest, /retest-required, /test-manual-required, /ok-to-test, /ok-to-test cancel, /test ?',
  handles: {
    genericComment: handleGenericComment,
    pullRequest: handlePullRequest,
    push: (c, _t, ev, push) => handlePush(c, ev, push),
  },
};
