/**
 * fast-check arbitraries for whole UPDATE messages that decode without any error: no repeated
 * attribute, and ORIGIN + AS_PATH (+ NEXT_HOP with a classic NLRI field) whenever the message
 * carries reachable routes (RFC 7606 §3 (d)). Canonical JSON, so decode(encode(x)) deep-equals x.
 */
import fc from 'fast-check';
import { attributeCode, type PathAttribute } from '../../src/wire/attributes/index.js';
import type { CodecContext } from '../../src/wire/context.js';
import type { UpdateMessage } from '../../src/wire/update.js';
import { arbAsPathSegments, arbPathAttribute, withFlags } from './attributes.js';
import { arbIpPrefixNlri, arbIpv4Address } from './nlri.js';

export function arbUpdateMessage(ctx: CodecContext): fc.Arbitrary<UpdateMessage> {
  const mandatory = fc.tuple(
    withFlags(ctx, fc.constantFrom('igp' as const, 'egp' as const, 'incomplete' as const).map((value) => ({ type: 'origin' as const, value }))),
    withFlags(ctx, arbAsPathSegments(ctx.as4 ? 4 : 2).map((segments) => ({ type: 'as-path' as const, segments }))),
    withFlags(ctx, arbIpv4Address.map((value) => ({ type: 'next-hop' as const, value }))),
  );
  return fc
    .record({
      withdrawn: fc.array(arbIpPrefixNlri(4), { maxLength: 6 }),
      attributes: fc.uniqueArray(arbPathAttribute(ctx), { maxLength: 8, selector: (a) => attributeCode(a) }),
      nlri: fc.array(arbIpPrefixNlri(4), { maxLength: 6 }),
      mandatory,
    })
    .map(({ withdrawn, attributes, nlri, mandatory }): UpdateMessage => {
      const attrs: PathAttribute[] = [...attributes];
      const has = (type: string): boolean => attrs.some((a) => a.type === type);
      const reach = nlri.length > 0 || has('mp-reach');
      if (reach) {
        const [origin, asPath, nextHop] = mandatory;
        if (!has('origin')) attrs.unshift(origin);
        if (!has('as-path')) attrs.splice(1, 0, asPath);
        if (nlri.length > 0 && !has('next-hop')) attrs.push(nextHop);
      }
      return { type: 'update', withdrawn, attributes: attrs, nlri };
    });
}
