// A small, strict, linear-time XML parser for feeds. Written for safety first:
// - a DOCTYPE that declares entities (<!ENTITY ...>) is refused outright, so nothing is ever expanded
//   (no billion laughs) and no external entity is ever fetched or read (no XXE);
// - an external DTD named by a DOCTYPE (RSS 0.91's, say) is never read either; a reference to an entity
//   it might declare (&nbsp;) is then kept as literal text, as XML allows a non-validating processor;
//   without an external DTD an undeclared entity is a well-formedness error;
// - mismatched and unclosed tags, stray text outside the root, bad attributes, illegal characters and
//   unterminated comments/CDATA are errors with a line number;
// - nesting depth, element count, attribute count and input size are bounded.
// Namespaces are resolved (element.ns is the URI); element.prefix keeps the prefix as written, so callers
// can fall back to a conventional prefix when a feed forgets to declare it.

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlAttr {
  name: string;
  prefix: string | null;
  local: string;
  ns: string | null;
  value: string;
}

export interface XmlElement {
  name: string;
  prefix: string | null;
  local: string;
  /** namespace URI; null when none applies or the prefix was not declared */
  ns: string | null;
  attrs: XmlAttr[];
  /** text (already decoded; CDATA as given) and child elements, in document order */
  children: Array<XmlElement | string>;
  line: number;
}

export interface XmlDocument {
  root: XmlElement;
  /** the DOCTYPE's root name, when there is one */
  doctype: string | null;
  /** the encoding named by the XML declaration, if any */
  encoding: string | null;
}

export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
  maxAttrs: number;
}

export const XML_LIMITS: XmlLimits = { maxChars: 64 * 1024 * 1024, maxDepth: 128, maxElements: 4_000_000, maxAttrs: 256 };

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// XML 1.0 Char: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, and surrogate pairs. Anything else is illegal.
const ILLEGAL_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF][A-Za-z0-9_:.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]*/y;
const WS = /[ \t\r\n]*/y;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function parseXml(src: string, limits: Partial<XmlLimits> = {}): XmlDocument {
  const lim = { ...XML_LIMITS, ...limits };
  const n = src.length;
  let lineCursor = 0;
  let lineNo = 1;
  /** the 1-based line of position p; positions asked for only grow, except for errors (recounted) */
  const lineAt = (p: number): number => {
    if (p < lineCursor) {
      let l = 1;
      for (let i = src.indexOf('\n'); i !== -1 && i < p; i = src.indexOf('\n', i + 1)) l++;
      return l;
    }
    for (let i = src.indexOf('\n', lineCursor); i !== -1 && i < p; i = src.indexOf('\n', i + 1)) lineNo++;
    lineCursor = p;
    return lineNo;
  };
  const fail = (p: number, msg: string): never => {
    throw new XmlError(msg, lineAt(Math.min(p, n)));
  };

  if (n > lim.maxChars) fail(0, `document too large: ${n} characters (limit ${lim.maxChars})`);
  const bad = ILLEGAL_CHAR.exec(src);
  if (bad) fail(bad.index, `illegal character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);

  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let encoding: string | null = null;
  let doctype: string | null = null;
  let externalDtd = false;
  let root: XmlElement | null = null;
  let elements = 0;
  const stack: XmlElement[] = [];
  const scopes: Array<Record<string, string>> = [{ xml: XML_NS }];

  const readName = (p: number, what: string): string => {
    NAME.lastIndex = p;
    const m = NAME.exec(src);
    if (!m) fail(p, `expected ${what} name, found ${describe(src, p)}`);
    return m![0];
  };
  const skipWs = (p: number): number => {
    WS.lastIndex = p;
    WS.exec(src);
    return WS.lastIndex;
  };

  /** decodes references in text or an attribute value between from and to */
  const decodeRefs = (from: number, to: number): string => {
    const seg = src.slice(from, to);
    if (!seg.includes('&')) return seg; // (searching src itself would run on past `to`: quadratic)
    let amp = from + seg.indexOf('&');
    let out = '';
    let last = from;
    while (amp !== -1 && amp < to) {
      out += src.slice(last, amp);
      const semi = src.indexOf(';', amp);
      if (semi === -1 || semi >= to || semi - amp > 40) fail(amp, `unescaped "&" (write &amp;)`);
      const ref = src.slice(amp + 1, semi);
      if (ref[0] === '#') {
        const hex = ref[1] === 'x';
        const digits = ref.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) fail(amp, `bad character reference &${ref};`);
        const code = parseInt(digits, hex ? 16 : 10);
        const legal =
          code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
        if (!legal) fail(amp, `character reference &${ref}; is not a legal XML character`);
        out += String.fromCodePoint(code);
      } else if (PREDEFINED[ref] !== undefined) {
        out += PREDEFINED[ref];
      } else {
        NAME.lastIndex = amp + 1;
        const m = NAME.exec(src);
        if (!m || m[0].length !== ref.length) fail(amp, `unescaped "&" (write &amp;)`);
        if (!externalDtd) fail(amp, `undeclared entity &${ref};`);
        out += `&${ref};`; // declared (perhaps) in an external DTD we never read: kept as written
      }
      last = semi + 1;
      amp = src.indexOf('&', last);
    }
    return out + src.slice(last, to);
  };

  const addText = (text: string, at: number) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (/[^ \t\r\n]/.test(text)) fail(at + text.search(/[^ \t\r\n]/), root ? 'text after the root element' : 'text before the root element');
      return;
    }
    const kids = top.children;
    const last = kids.length - 1;
    if (last >= 0 && typeof kids[last] === 'string') kids[last] += text;
    else kids.push(text);
  };

  const resolve = (prefix: string | null, scope: Record<string, string>, isAttr: boolean): string | null => {
    if (prefix === null) return isAttr ? null : (scope[''] || null);
    return scope[prefix] ?? null;
  };

  while (pos < n) {
    const lt = src.indexOf('<', pos);
    if (lt === -1) {
      addText(decodeText(pos, n), pos);
      break;
    }
    if (lt > pos) addText(decodeText(pos, lt), pos);
    const c = src.charCodeAt(lt + 1);

    if (c === 0x2f /* / */) {
      const name = readName(lt + 2, 'closing tag');
      let p = skipWs(lt + 2 + name.length);
      if (src.charCodeAt(p) !== 0x3e) fail(p, `expected ">" to end </${name}>, found ${describe(src, p)}`);
      const open = stack.pop();
      if (!open) fail(lt, `closing tag </${name}> without an open element`);
      if (open!.name !== name) fail(lt, `mismatched tag: </${name}> closes <${open!.name}> (opened at line ${open!.line})`);
      scopes.pop();
      pos = p + 1;
      continue;
    }

    if (c === 0x3f /* ? */) {
      const end = src.indexOf('?>', lt + 2);
      if (end === -1) fail(lt, 'unterminated processing instruction');
      const target = readName(lt + 2, 'processing instruction');
      if (target.toLowerCase() === 'xml') {
        if (root || stack.length || doctype !== null || /[^ \t\r\n\uFEFF]/.test(src.slice(0, lt))) fail(lt, 'XML declaration not at the start of the document');
        const enc = /\bencoding\s*=\s*["']([A-Za-z][\w.\-]*)["']/.exec(src.slice(lt, end));
        encoding = enc ? enc[1] : null;
      }
      pos = end + 2;
      continue;
    }

    if (c === 0x21 /* ! */) {
      if (src.startsWith('<!--', lt)) {
        const end = src.indexOf('-->', lt + 4);
        if (end === -1) fail(lt, 'unterminated comment');
        pos = end + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt + 9);
        if (end === -1) fail(lt, 'unterminated CDATA section');
        if (!stack.length) fail(lt, 'CDATA section outside the root element');
        addText(src.slice(lt + 9, end), lt);
        pos = end + 3;
        continue;
      }
      if (src.startsWith('<!DOCTYPE', lt)) {
        if (root || stack.length || doctype !== null) fail(lt, 'DOCTYPE after the root element began');
        pos = readDoctype(lt);
        continue;
      }
      fail(lt, `unexpected markup ${describe(src, lt)}`);
    }

    // a start tag
    const name = readName(lt + 1, 'element');
    if (root && !stack.length) fail(lt, `a second root element <${name}> after </${root.name}>`);
    if (stack.length >= lim.maxDepth) fail(lt, `elements nested deeper than ${lim.maxDepth}`);
    if (++elements > lim.maxElements) fail(lt, `more than ${lim.maxElements} elements`);
    const line = lineAt(lt);
    let p = lt + 1 + name.length;
    const raw: Array<[string, string]> = [];
    let selfClosing = false;
    for (;;) {
      const before = p;
      p = skipWs(p);
      const ch = src.charCodeAt(p);
      if (ch === 0x3e) {
        p++;
        break;
      }
      if (ch === 0x2f && src.charCodeAt(p + 1) === 0x3e) {
        selfClosing = true;
        p += 2;
        break;
      }
      if (p >= n) fail(lt, `unclosed start tag <${name}`);
      if (p === before) fail(p, `expected whitespace, ">" or "/>" in <${name}>, found ${describe(src, p)}`);
      const an = readName(p, 'attribute');
      p = skipWs(p + an.length);
      if (src.charCodeAt(p) !== 0x3d) fail(p, `attribute ${an} in <${name}> has no value`);
      p = skipWs(p + 1);
      const q = src.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) fail(p, `attribute ${an} in <${name}>: value not quoted`);
      const close = src.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (close === -1) fail(p, `attribute ${an} in <${name}>: unterminated value`);
      const lt2 = src.indexOf('<', p + 1);
      if (lt2 !== -1 && lt2 < close) fail(lt2, `"<" in the value of attribute ${an} in <${name}>`);
      if (raw.some(([k]) => k === an)) fail(p, `duplicate attribute ${an} in <${name}>`);
      if (raw.length >= lim.maxAttrs) fail(p, `more than ${lim.maxAttrs} attributes in <${name}>`);
      raw.push([an, decodeRefs(p + 1, close).replace(/[\t\n\r]/g, ' ')]);
      p = close + 1;
    }

    let scope = scopes[scopes.length - 1];
    for (const [an, value] of raw) {
      if (an === 'xmlns' || an.startsWith('xmlns:')) {
        if (scope === scopes[scopes.length - 1]) scope = Object.create(scope) as Record<string, string>;
        scope[an === 'xmlns' ? '' : an.slice(6)] = value;
      }
    }
    const [prefix, local] = split(name);
    const attrs: XmlAttr[] = raw.map(([an, value]) => {
      const [ap, al] = split(an);
      const ns = an === 'xmlns' || ap === 'xmlns' ? XMLNS_NS : resolve(ap, scope, true);
      return { name: an, prefix: ap, local: al, ns, value };
    });
    const el: XmlElement = { name, prefix, local, ns: resolve(prefix, scope, false), attrs, children: [], line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (!selfClosing) {
      stack.push(el);
      scopes.push(scope);
    }
    pos = p;
  }

  if (stack.length) {
    const open = stack[stack.length - 1];
    fail(n, `unclosed <${open.name}> (opened at line ${open.line}) at the end of the document`);
  }
  if (!root) fail(n, 'no root element');
  return { root: root!, doctype, encoding };

  function decodeText(from: number, to: number): string {
    return decodeRefs(from, to);
  }

  /** Reads a DOCTYPE starting at `<!DOCTYPE`; refuses any entity declaration. Returns the position after it. */
  function readDoctype(start: number): number {
    let p = skipWs(start + 9);
    doctype = readName(p, 'DOCTYPE');
    let quote = 0;
    let inSubset = false;
    for (p += doctype.length; p < n; p++) {
      const ch = src.charCodeAt(p);
      if (quote) {
        if (ch === quote) quote = 0;
        continue;
      }
      if (ch === 0x22 || ch === 0x27) quote = ch;
      else if (ch === 0x5b /* [ */) inSubset = true;
      else if (ch === 0x5d /* ] */) inSubset = false;
      else if (ch === 0x3c /* < */ && inSubset) {
        if (/^<!ENTITY/i.test(src.slice(p, p + 8))) fail(p, 'feed declares entities (<!ENTITY>): refused');
        if (src.startsWith('<!--', p)) {
          const end = src.indexOf('-->', p + 4);
          if (end === -1) fail(p, 'unterminated comment in DOCTYPE');
          p = end + 2;
        }
      } else if (ch === 0x3e /* > */ && !inSubset) {
        const head = src.slice(start, p);
        if (/\b(?:SYSTEM|PUBLIC)\b/.test(head.split('[')[0])) externalDtd = true;
        return p + 1;
      }
    }
    return fail(start, 'unterminated DOCTYPE');
  }
}

function split(q: string): [string | null, string] {
  const i = q.indexOf(':');
  return i > 0 ? [q.slice(0, i), q.slice(i + 1)] : [null, q];
}

function describe(src: string, p: number): string {
  if (p >= src.length) return 'the end of the document';
  return JSON.stringify(src.slice(p, p + 12));
}

// ---------------------------------------------------------------- helpers for readers of the tree

/** The concatenated text of an element and its descendants. */
export function textContent(el: XmlElement): string {
  let out = '';
  for (const k of el.children) out += typeof k === 'string' ? k : textContent(k);
  return out;
}

/** The element's children serialised back to XML (for Atom xhtml content). */
export function innerXml(el: XmlElement): string {
  let out = '';
  for (const k of el.children) out += typeof k === 'string' ? escapeXml(k) : outerXml(k);
  return out;
}

function outerXml(el: XmlElement): string {
  const attrs = el.attrs
    .filter((a) => a.ns !== XMLNS_NS)
    .map((a) => ` ${a.local}="${escapeXml(a.value, true)}"`)
    .join('');
  return el.children.length ? `<${el.local}${attrs}>${innerXml(el)}</${el.local}>` : `<${el.local}${attrs}/>`;
}

export function escapeXml(s: string, attr = false): string {
  const t = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attr ? t.replace(/"/g, '&quot;') : t;
}

export function attr(el: XmlElement, name: string): string | null {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return null;
}

export function elementChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const k of el.children) if (typeof k !== 'string') out.push(k);
  return out;
}
