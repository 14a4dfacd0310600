import type { Plugin } from '../plugin.js';
import { trigger } from './trigger.js';

/** Every in-process plugin, registered explicitly. */
export const plugins = [trigger] satisfies Plugin[];
