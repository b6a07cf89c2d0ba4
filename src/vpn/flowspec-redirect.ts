/**
 * The receiving side of FlowSpec redirection in a VRF (spec vpn.md §3.4, §4.6): which traffic
 * classifiers redirect to which route target, so that each classifier is installed once in the
 * dataplane while some route target uses it, and the VRF is a user of a redirect instance while
 * it redirects anything to it.
 *
 * Pure bookkeeping: `add` and `remove` return the steps to take (acquire/release a redirect
 * instance, add/remove a classifier); the VRF runs them in its dataplane queue.
 */
import type { TrafficClassifier } from '../dataplane/driver.js';
import { classifierText } from './traffic-classifier.js';

export type RedirectStep =
  | { readonly type: 'acquire'; readonly rt: string }
  | { readonly type: 'release'; readonly rt: string }
  | { readonly type: 'add-classifier'; readonly rt: string; readonly classifier: TrafficClassifier }
  | { readonly type: 'remove-classifier'; readonly classifier: TrafficClassifier };

export class RedirectBook {
  /** Route target → classifier keys redirected to it. */
  private readonly byRt = new Map<string, Set<string>>();
  private readonly classifiers = new Map<string, TrafficClassifier>();

  add(rt: string, classifier: TrafficClassifier): RedirectStep[] {
    const key = classifierText(classifier);
    const steps: RedirectStep[] = [];
    let set = this.byRt.get(rt);
    if (set?.has(key)) return steps;
    if (!set) {
      this.byRt.set(rt, (set = new Set()));
      steps.push({ type: 'acquire', rt });
    }
    set.add(key);
    this.classifiers.set(key, classifier);
    steps.push({ type: 'add-classifier', rt, classifier });
    return steps;
  }

  remove(rt: string, classifier: TrafficClassifier): RedirectStep[] {
    const key = classifierText(classifier);
    const set = this.byRt.get(rt);
    if (!set?.delete(key)) return [];
    const steps: RedirectStep[] = [];
    if (![...this.byRt.values()].some((s) => s.has(key))) {
      this.classifiers.delete(key);
      steps.push({ type: 'remove-classifier', classifier });
    }
    if (set.size === 0) {
      this.byRt.delete(rt);
      steps.push({ type: 'release', rt });
    }
    return steps;
  }

  /** Route targets in use (stop: each released). */
  routeTargets(): string[] {
    return [...this.byRt.keys()];
  }

  /** Looking glass: classifier text → route targets redirected to. */
  entries(): { classifier: string; rts: string[] }[] {
    return [...this.classifiers.keys()].map((k) => ({ classifier: k, rts: [...this.byRt].filter(([, s]) => s.has(k)).map(([rt]) => rt) }));
  }
}
