/**
 * Service chaining configuration of a VRF (spec vpn.md §4.1, rest-api.md §4.4): re-advertisement
 * from `from_rt` to `to_rt`, and attract-traffic. Decided once, at instance creation, with the
 * original's rules and 400 messages, but checked before anything is created (the original
 * checked after the dataplane instance and the subscriptions existed, and left them behind).
 */
import { ApiError } from './errors.js';
import type { AttractTraffic, Readvertise } from './requests.js';
import { ClassifierError, parseApiClassifier, type ApiClassifier } from './traffic-classifier.js';

export interface AttractConfig {
  /** Route targets of the generated FlowSpec routes ("attract_rts"). */
  readonly redirectRts: readonly string[];
  readonly classifier: ApiClassifier;
  /** The classifier object as given (looking glass). */
  readonly rawClassifier: unknown;
  /** Prefixes attracted even without re-advertised routes. */
  readonly staticPrefixes: readonly string[];
}

export interface ChainingConfig {
  /** Routes carrying one of these are re-advertised (empty: re-advertisement disabled). */
  readonly fromRts: readonly string[];
  /** "T": route targets of re-advertised and attract routes; exactly one with attract-traffic. */
  readonly toRts: readonly string[];
  readonly readvertise: boolean;
  readonly attract: AttractConfig | null;
}

export const NO_CHAINING: ChainingConfig = { fromRts: [], toRts: [], readvertise: false, attract: null };

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function prefixList(v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string' && /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(p))) {
    throw new ApiError(`'attract_traffic/static_destination_prefixes' must be a list of IPv4 prefixes a.b.c.d/len, got ${JSON.stringify(v)}`);
  }
  return v as string[];
}

/** The instance's chaining configuration; ApiError (400) for the combinations rest-api.md §4.4 refuses. */
export function chainingConfig(readvertise: Readvertise | null, attract: AttractTraffic | null): ChainingConfig {
  let toRts = readvertise?.toRts ?? [];
  const fromRts = readvertise?.fromRts ?? [];
  // An empty to_rt list counts as absent (the original's truthiness test).
  const attractTo = attract?.toRts && attract.toRts.length > 0 ? attract.toRts : undefined;
  if (!attract || (!readvertise && !attractTo)) return { fromRts, toRts, readvertise: readvertise !== null, attract: null };
  let staticPrefixes: string[] = [];
  if (attractTo) {
    if (readvertise) {
      if (!sameList(attractTo, readvertise.toRts)) throw new ApiError("if both are set, then 'attract_traffic/to_rt' and 'readvertise/to_rt' have to be equal");
    } else toRts = attractTo;
    if (attract.staticDestinationPrefixes === undefined) throw new ApiError("'attract_traffic/to_rt' specified without 'static_destination_prefixes'");
    staticPrefixes = prefixList(attract.staticDestinationPrefixes);
  }
  if (toRts.length !== 1) throw new ApiError("attract_traffic requires exactly one RT to be provided in 'readvertise/to_rt' and 'attract_traffic/to_rt'");
  if (attract.classifier === undefined) throw new ApiError("'attract_traffic' specified with no 'classifier'");
  const raw = attract.classifier;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ApiError("'attract_traffic/classifier' must be an object");
  let classifier: ApiClassifier;
  try {
    classifier = parseApiClassifier(raw as Record<string, unknown>);
  } catch (e) {
    if (e instanceof ClassifierError) throw new ApiError(`attract_traffic ${e.message}`);
    throw e;
  }
  return {
    fromRts,
    toRts,
    readvertise: readvertise !== null,
    attract: { redirectRts: attract.redirectRts, classifier, rawClassifier: raw, staticPrefixes },
  };
}
