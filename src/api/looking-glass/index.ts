/** The looking glass (spec looking-glass.md): the tree resolver and the daemon's root object. */
export type { LookingGlassContext } from './context.js';
export { lookingGlassRoot } from './root.js';
export { LgNotFound, resolve } from './tree.js';
