/** bgp.conf: oslo.config-compatible loading, the option schema, printing back. */
export { ConfigError, originText } from './errors.js';
export type { ConfigErrorCode, ConfigWarning, ConfigWarningCode, ValueOrigin } from './errors.js';
export { formatIni, formatIniValue, normalizeSectionName, normalizedSections, parseIni } from './ini.js';
export type { IniAssignment, IniEntry, IniFile, IniSection, IniSectionOut } from './ini.js';
export { DEFAULT_CONFIG_FILE, findDefaultConfigDirs, loadConfig } from './load.js';
export type { ConfigSource, LoadOptions } from './load.js';
export * from './options.js';
export { canonicalPeerAddress } from './peers.js';
export { describeConfig, formatConfig, lookingGlassConfig } from './print.js';
export type { Overrides } from './resolver.js';
export { escapeDollars, substitute } from './substitute.js';
export { interfaceIPv4, isIPv4, isIPv6, systemTypeContext, TypeValueError } from './types.js';
export type { OptType, TypeContext } from './types.js';
