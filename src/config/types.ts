/**
 * Option types with oslo.config's conversion rules and error texts (oslo_config/types.py 9.0.0),
 * plus the original daemon's InterfaceAddress (bagpipe_bgp/common/config.py).
 *
 * A type turns the raw text of an assignment (after `$` substitution) into a value, throws a
 * TypeValueError with oslo's message when the text is invalid, and writes a value back as text
 * that converts to the same value (used to print a configuration).
 */

import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceInfo } from 'node:os';
import { pyInt, pyRepr, pyStrip } from './py.js';

/** The reason a text is not a valid value; the loader adds option, group and location. */
export class TypeValueError extends Error {
  override readonly name = 'TypeValueError';
}

/** What conversions may look at besides the text: the machine's interfaces. */
export interface TypeContext {
  /** Addresses per interface, as os.networkInterfaces() (which omits interfaces without any address). */
  readonly interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** Whether an interface exists at all (with or without addresses). */
  readonly interfaceExists: (name: string) => boolean;
}

export const systemTypeContext: TypeContext = {
  interfaces: () => networkInterfaces(),
  interfaceExists: (name) => name !== '' && !name.includes('/') && !name.startsWith('.') && existsSync(`/sys/class/net/${name}`),
};

export interface OptType<T> {
  /** oslo's type name, shown in documentation ("integer value", "port value"…). */
  readonly typeName: string;
  /** Converts a text; null is oslo's None (an empty integer, for instance). */
  convert(text: string, ctx: TypeContext): T | null;
  /** Text that converts back to `value`. */
  format(value: T): string;
}

// ---------------------------------------------------------------------------------------------
// String

export function stringType<T extends string = string>(choices?: readonly T[], ignoreCase = false): OptType<T> {
  const matches = (text: string): boolean =>
    choices === undefined || (ignoreCase ? choices.some((c) => c.toLowerCase() === text.toLowerCase()) : choices.includes(text as T));
  return {
    typeName: 'string value',
    convert(text) {
      if (!matches(text)) {
        throw new TypeValueError(`Valid values are [${(choices ?? []).join(', ')}], but found ${pyRepr(text)}`);
      }
      return text as T;
    },
    format: (value) => value,
  };
}

// ---------------------------------------------------------------------------------------------
// Boolean

const TRUE_VALUES = ['true', '1', 'on', 'yes'];
const FALSE_VALUES = ['false', '0', 'off', 'no'];

export const booleanType: OptType<boolean> = {
  typeName: 'boolean value',
  convert(text) {
    const s = text.toLowerCase();
    if (TRUE_VALUES.includes(s)) return true;
    if (FALSE_VALUES.includes(s)) return false;
    throw new TypeValueError(`Unexpected boolean value ${pyRepr(text)}`);
  },
  format: (value) => (value ? 'true' : 'false'),
};

// ---------------------------------------------------------------------------------------------
// Integer and Port

export function integerType(min?: number, max?: number, typeName = 'integer value'): OptType<number> {
  return {
    typeName,
    convert(text) {
      if (pyStrip(text) === '') return null;
      const value = pyInt(text);
      if (value === undefined) throw new TypeValueError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
      if (min !== undefined && value < min) throw new TypeValueError(`Should be greater than or equal to ${min}`);
      if (max !== undefined && value > max) throw new TypeValueError(`Should be less than or equal to ${max}`);
      return value;
    },
    format: (value) => String(value),
  };
}

export const portType: OptType<number> = integerType(0, 65535, 'port value');

// ---------------------------------------------------------------------------------------------
// List

/**
 * Comma-separated items. Like oslo, an item that fails validation is retried joined with the
 * next one (`a,b` may be one item containing a comma); when nothing is left the error of the
 * last attempt is raised.
 */
export function listType<T>(item: OptType<T>): OptType<T[]> {
  return {
    typeName: 'list value',
    convert(text, ctx) {
      let s = pyStrip(text);
      while (s.endsWith(',')) s = s.slice(0, -1);
      const parts = s === '' ? [] : s.split(',');
      const result: T[] = [];
      while (parts.length > 0) {
        let value = parts.shift() ?? '';
        for (;;) {
          try {
            const v = item.convert(pyStrip(value), ctx);
            result.push(v as T);
            break;
          } catch (e) {
            if (!(e instanceof TypeValueError) || parts.length === 0) throw e;
            value += ',' + (parts.shift() ?? '');
          }
        }
      }
      return result;
    },
    format(values) {
      for (const v of values) {
        const text = item.format(v);
        if (text.includes(',') || pyStrip(text) !== text || text === '') {
          throw new RangeError(`list item ${pyRepr(text)} cannot be written`);
        }
      }
      return values.map((v) => item.format(v)).join(',');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Addresses

const V4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = new RegExp(`^${V4_OCTET}(?:\\.${V4_OCTET}){3}$`);

/** inet_pton(AF_INET): exactly four decimal octets, no leading zeros. */
export function isIPv4(text: string): boolean {
  return V4.test(text);
}

/** inet_pton(AF_INET6): no zone index, at most one `::`, optional trailing dotted quad. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] ?? '';
    if (g.includes('.')) {
      if (i !== all.length - 1 || !isIPv4(g)) return false;
      count += 2;
    } else {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
      count += 1;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

function checkIp(text: string, version: 4 | 6 | undefined): void {
  if (text === '') throw new TypeValueError('IP address cannot be an empty string');
  if (version === 4 && !isIPv4(text)) throw new TypeValueError(`${text} is not an IPv4 address`);
  if (version === 6 && !isIPv6(text)) throw new TypeValueError(`${text} is not an IPv6 address`);
  if (version === undefined && !isIPv4(text) && !isIPv6(text)) {
    throw new TypeValueError(`${text} is not IPv4 or IPv6 address`);
  }
}

export function ipAddressType(version?: 4 | 6): OptType<string> {
  return {
    typeName: 'IP address value',
    convert(text) {
      checkIp(text, version);
      return text;
    },
    format: (value) => value,
  };
}

// Python's `$` also matches before a final newline: hence `\n?`.
const HOSTNAME_LABEL = /^(?!-)[A-Z0-9-]{1,63}(?<!-)\n?$/iu;

/** oslo Hostname: returns the name without its trailing dot. */
function checkHostname(text: string): string {
  if (text.length === 0) throw new TypeValueError('Cannot have an empty hostname');
  if ([...text].length > 253) throw new TypeValueError(`hostname is greater than 253 characters: ${text}`);
  const value = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = value.split('.');
  if (!/[a-zA-Z-]/.test(labels[labels.length - 1] ?? '')) {
    throw new TypeValueError(`${value} contains no non-numeric characters in the top-level domain part of the host name and is invalid`);
  }
  if (labels.some((l) => !HOSTNAME_LABEL.test(l))) throw new TypeValueError(`${value} is an invalid hostname`);
  return value;
}

/** oslo HostAddress: an IP address of the given version, or a host name. */
export function hostAddressType(version?: 4 | 6): OptType<string> {
  return {
    typeName: 'host address value',
    convert(text) {
      try {
        checkIp(text, version);
        return text;
      } catch {
        try {
          return checkHostname(text);
        } catch {
          throw new TypeValueError(`${text} is not a valid host address`);
        }
      }
    },
    format: (value) => value,
  };
}

/** The first IPv4 address of an interface, or the reason there is none. */
export function interfaceIPv4(name: string, ctx: TypeContext): string {
  const addresses = ctx.interfaces()[name];
  if (addresses === undefined && !ctx.interfaceExists(name)) throw new TypeValueError(`interface ${name} does not exist`);
  const v4 = (addresses ?? []).find((a) => a.family === 'IPv4');
  if (v4 === undefined) throw new TypeValueError(`no IPv4 address found on interface ${name}`);
  return v4.address;
}

/**
 * The original's InterfaceAddress: an IPv4 address, else the name of an interface whose first
 * IPv4 address is used. The converted value is the address; the loader remembers the name.
 */
export const interfaceAddressType: OptType<string> = {
  typeName: 'interface address value',
  convert(text, ctx) {
    try {
      checkIp(text, 4);
      return text;
    } catch {
      return interfaceIPv4(text, ctx);
    }
  },
  format: (value) => value,
};

/** Our extension: an IPv4 or IPv6 address, else an interface name (its first IPv4 address). */
export const listenAddressType: OptType<string> = {
  typeName: 'interface address value (IPv4 or IPv6)',
  convert(text, ctx) {
    if (isIPv4(text) || isIPv6(text)) return text;
    return interfaceIPv4(text, ctx);
  },
  format: (value) => value,
};
