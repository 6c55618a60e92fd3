// Fetching as a good citizen, safely: see http.ts (safeFetch), address.ts (SSRF classification and the
// allow-list) and robots.ts (robots.txt and the per-host politeness delay).
export { type AddressClass, allowHostsFromEnv, canonicalHost, classifyAddress, hostAllowed, parseIpv4Loose } from './address.js';
export {
  checkUrl,
  FetchError,
  type FetchErrorCode,
  type FetchOptions,
  type FetchResult,
  ROBOTS_TOKEN,
  safeFetch,
  urlAllowed,
  USER_AGENT,
  vetHost,
} from './http.js';
export { NO_RULES, parseRobots, Politeness, RobotsCache, type RobotsCacheOptions, type RobotsRules } from './robots.js';
