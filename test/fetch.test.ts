// Fetching: the address classifier (no connections), SSRF refusals, redirects, timeouts, size caps,
// decompression, conditional GET, robots.txt and politeness. All traffic goes to servers this file starts on
// 127.0.0.1; the only name resolved is "localhost".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dns from 'node:dns';
import net from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { after, describe, test } from 'node:test';
import zlib from 'node:zlib';
import {
  allowHostsFromEnv,
  classifyAddress,
  FetchError,
  type FetchErrorCode,
  hostAllowed,
  parseIpv4Loose,
  parseRobots,
  Politeness,
  RobotsCache,
  safeFetch,
  USER_AGENT,
} from '../src/fetch/index.js';
import { startServer, type TestServer } from './helpers/http-server.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}

async function refusal(p: Promise<unknown>, code: FetchErrorCode): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FetchError, `expected a FetchError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected FetchError ${code}, but the fetch succeeded`);
}

/** Zeros, `total` bytes, produced as the reader asks (no buffering of the whole). */
function zeros(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

describe('address classifier (no connections)', () => {
  const cases: [string, string][] = [
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'special'],
    ['0.1.2.3', 'special'],
    ['::', 'special'],
    ['224.0.0.1', 'special'],
    ['240.0.0.1', 'special'],
    ['255.255.255.255', 'special'],
    ['192.0.2.1', 'special'],
    ['198.51.100.7', 'special'],
    ['203.0.113.9', 'special'],
    ['2001:db8::1', 'special'],
    ['ff02::1', 'special'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    // decimal, octal, hex and short forms of 127.0.0.1
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['017700000001', 'loopback'],
    ['127.1', 'loopback'],
    // public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    // not an address at all: refused
    ['example.org', 'special'],
    ['', 'special'],
  ];
  for (const [ip, want] of cases) {
    test(`${ip || '(empty)'} is ${want}`, () => assert.equal(classifyAddress(ip), want));
  }

  test('parseIpv4Loose accepts what inet_aton accepts', () => {
    for (const s of ['2130706433', '0x7f000001', '017700000001', '0177.0.0.1', '127.1', '0x7f.0.0.1', '127.0.1', '127.0.0.1.']) {
      assert.equal(parseIpv4Loose(s), '127.0.0.1', s);
    }
    for (const s of ['example.org', '1.2.3.4.5', '256.1.1.1', '08.1.1.1', '1.16777216', '4294967296', '', '::1', '1..1']) {
      assert.equal(parseIpv4Loose(s), null, s);
    }
  });

  test('allow-list entries: host, or host:port; case-insensitive; IPs normalised', () => {
    assert.ok(hostAllowed('Feeds.Example.ORG:8080', ['feeds.example.org']));
    assert.ok(hostAllowed('127.0.0.1:8080', ['127.0.0.1:8080']));
    assert.ok(!hostAllowed('127.0.0.1:8081', ['127.0.0.1:8080']));
    assert.ok(!hostAllowed('127.0.0.2:8080', ['127.0.0.1']));
    assert.ok(hostAllowed('[::1]:80', ['0:0:0:0:0:0:0:1']));
    assert.ok(hostAllowed('[::1]:80', ['[::1]:80']));
    assert.ok(!hostAllowed('evil.example', []));
    assert.deepEqual(allowHostsFromEnv({ TURNOUT_ALLOW_HOSTS: ' a.example , 127.0.0.1:9,, ' }), ['a.example', '127.0.0.1:9']);
    assert.deepEqual(allowHostsFromEnv({}), []);
  });
});

describe('SSRF: refused before any traffic', () => {
  test('a URL on the loopback test server is refused by default, and the server sees nothing', async () => {
    const s = await server({ '/': (_req, res) => res.end('hello') });
    const e = await refusal(safeFetch(`${s.url}/`, { allowHosts: [] }), 'ssrf');
    assert.match(e.message, /refused http:\/\/127\.0\.0\.1:\d+\/: 127\.0\.0\.1 is a loopback address \(allow it with --allow-host or TURNOUT_ALLOW_HOSTS\)/);
    assert.equal(e.url, `${s.url}/`);
    // The same server in other spellings: decimal, hex, octal, short, IPv4-mapped IPv6, and a name.
    for (const host of ['2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', '017700000001', '127.1', '[::ffff:127.0.0.1]', 'localhost']) {
      await refusal(safeFetch(`http://${host}:${s.port}/`, { allowHosts: [] }), 'ssrf');
    }
    await refusal(safeFetch(`http://[::1]:${s.port}/`, { allowHosts: [] }), 'ssrf');
    await refusal(safeFetch(`http://0.0.0.0:${s.port}/`, { allowHosts: [] }), 'ssrf');
    assert.equal(s.requests.length, 0);
  });

  test('TURNOUT_ALLOW_HOSTS is the default allow-list', async () => {
    const s = await server({ '/': (_req, res) => res.end('hello') });
    const saved = process.env.TURNOUT_ALLOW_HOSTS;
    try {
      delete process.env.TURNOUT_ALLOW_HOSTS;
      await refusal(safeFetch(`${s.url}/`), 'ssrf');
      process.env.TURNOUT_ALLOW_HOSTS = `other.example,${s.host}`;
      const r = await safeFetch(`${s.url}/`);
      assert.equal(Buffer.from(r.bytes).toString(), 'hello');
    } finally {
      if (saved === undefined) delete process.env.TURNOUT_ALLOW_HOSTS;
      else process.env.TURNOUT_ALLOW_HOSTS = saved;
    }
  });

  test('an allowed server redirecting to another loopback port is refused at the redirect', async () => {
    const b = await server({ '*': (_req, res) => res.end('secret') });
    const a = await server({
      '/to-b': (_req, res) => res.writeHead(302, { location: `${b.url}/admin` }).end(),
      '/to-b-by-name': (_req, res) => res.writeHead(301, { location: `http://localhost:${b.port}/admin` }).end(),
      '/to-b-decimal': (_req, res) => res.writeHead(307, { location: `http://2130706433:${b.port}/` }).end(),
      '/to-metadata': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    });
    const allowHosts = [a.host];
    const e = await refusal(safeFetch(`${a.url}/to-b`, { allowHosts }), 'ssrf');
    assert.match(e.message, new RegExp(`refused ${b.url}/admin: 127.0.0.1 is a loopback address`));
    await refusal(safeFetch(`${a.url}/to-b-by-name`, { allowHosts }), 'ssrf');
    await refusal(safeFetch(`${a.url}/to-b-decimal`, { allowHosts }), 'ssrf');
    const m = await refusal(safeFetch(`${a.url}/to-metadata`, { allowHosts }), 'ssrf');
    assert.match(m.message, /169\.254\.169\.254 is a link-local address/);
    await refusal(safeFetch(`${a.url}/to-file`, { allowHosts }), 'bad_url');
    assert.equal(a.requests.length, 5);
    assert.equal(b.requests.length, 0);
  });

  test('an allowed name is resolved once and the connection goes to the vetted address', async () => {
    const s = await server({ '/': (req, res) => res.end(String(req.headers.host)) });
    const r = await safeFetch(`http://localhost:${s.port}/`, { allowHosts: [`localhost:${s.port}`] });
    assert.equal(Buffer.from(r.bytes).toString(), `localhost:${s.port}`);
  });

  test('DNS rebinding: the connection uses the vetted address, never a second lookup', async (t) => {
    const s = await server({ '/': (_req, res) => res.end('vetted') });
    // safeFetch resolves before this mock can matter; any later lookup (by net.connect) would get 10.9.9.9.
    const rebind = t.mock.method(dns, 'lookup', (...args: unknown[]) => {
      const cb = args[args.length - 1] as (e: null, a: string, f: number) => void;
      cb(null, '10.9.9.9', 4);
    });
    const r = await safeFetch(`http://localhost:${s.port}/`, { allowHosts: [`localhost:${s.port}`] });
    assert.equal(Buffer.from(r.bytes).toString(), 'vetted');
    assert.equal(rebind.mock.callCount(), 0);
    rebind.mock.restore();
    const e = await refusal(safeFetch(`http://localhost:${s.port}/`, { allowHosts: [] }), 'ssrf');
    assert.match(e.message, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  test('credentials and non-http schemes are bad_url, without a lookup or connection', async () => {
    const s = await server({ '/': (_req, res) => res.end('x') });
    const e = await refusal(safeFetch(`http://user:pass@${s.host}/`, { allowHosts: [s.host] }), 'bad_url');
    assert.ok(!e.message.includes('pass'), 'the password is not echoed');
    await refusal(safeFetch(`http://user@${s.host}/`, { allowHosts: [s.host] }), 'bad_url');
    await refusal(safeFetch('file:///etc/passwd'), 'bad_url');
    await refusal(safeFetch('ftp://ftp.example.org/pub/'), 'bad_url');
    await refusal(safeFetch('gopher://example.org/'), 'bad_url');
    await refusal(safeFetch('not a url'), 'bad_url');
    assert.equal(s.requests.length, 0);
  });
});

describe('fetching from an allowed server', () => {
  test('a plain page: status, headers sent, charset and media type reported', async () => {
    const s = await server({
      '/page': (_req, res) => res.writeHead(200, { 'content-type': 'Text/HTML; Charset="ISO-8859-1"' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
      '/plain': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'),
    });
    const r = await safeFetch(`${s.url}/page`, { allowHosts: [s.host], accept: 'text/html' });
    assert.equal(r.status, 200);
    assert.equal(r.notModified, false);
    assert.equal(r.contentType, 'text/html');
    assert.equal(r.charset, 'iso-8859-1');
    assert.deepEqual([...r.bytes], [0x63, 0x61, 0x66, 0xe9]);
    assert.deepEqual(r.redirects, []);
    assert.equal(r.url, `${s.url}/page`);
    const h = s.requests[0].headers;
    assert.equal(h['user-agent'], USER_AGENT);
    assert.match(USER_AGENT, /Turnout/);
    assert.equal(h['accept-encoding'], 'gzip, deflate, br');
    assert.equal(h.accept, 'text/html');
    const p = await safeFetch(`${s.url}/plain`, { allowHosts: [s.host] });
    assert.equal(p.charset, null);
  });

  test('non-2xx is http_status with the status', async () => {
    const s = await server({ '/gone': (_req, res) => res.writeHead(410).end('gone') });
    const e = await refusal(safeFetch(`${s.url}/gone`, { allowHosts: [s.host] }), 'http_status');
    assert.equal(e.status, 410);
    const m = await refusal(safeFetch(`${s.url}/missing`, { allowHosts: [s.host] }), 'http_status');
    assert.equal(m.status, 404);
  });

  test('redirects: relative Locations are followed up to 5; a 6th is too_many_redirects', async () => {
    const codes = [301, 302, 303, 307, 308, 302];
    const s = await server({
      '*': (req, res) => {
        const m = /^\/r\/(\d+)$/.exec(req.url ?? '');
        if (!m) return void res.writeHead(404).end();
        const n = Number(m[1]);
        if (n >= Number(new URL(req.url!, 'http://x').searchParams.get('end') ?? 6)) return void res.end(`end ${n}`);
        res.writeHead(codes[n], { location: `/r/${n + 1}` }).end();
      },
    });
    s.route('/five', (_req, res) => res.writeHead(302, { location: '/r/1' }).end());
    const ok = await safeFetch(`${s.url}/r/1`, { allowHosts: [s.host] }); // 1->2->3->4->5->6: 5 redirects
    assert.equal(Buffer.from(ok.bytes).toString(), 'end 6');
    assert.equal(ok.url, `${s.url}/r/6`);
    assert.deepEqual(ok.redirects, [1, 2, 3, 4, 5].map((n) => `${s.url}/r/${n}`));
    const before = s.requests.length;
    const e = await refusal(safeFetch(`${s.url}/r/0`, { allowHosts: [s.host] }), 'too_many_redirects'); // 6 redirects
    assert.equal(s.requests.length - before, 6, 'the 6th Location is not requested');
    assert.match(e.message, /too many redirects/);
    await refusal(safeFetch(`${s.url}/r/1`, { allowHosts: [s.host], maxRedirects: 2 }), 'too_many_redirects');
  });

  test('conditional GET: ETag and Last-Modified round trip gives 304', async () => {
    const etag = '"v1"';
    const lastModified = 'Tue, 01 Apr 2025 10:00:00 GMT';
    const s = await server({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
          return void res.writeHead(304, { etag }).end();
        }
        res.writeHead(200, { etag, 'last-modified': lastModified, 'content-type': 'application/rss+xml' }).end('<rss/>');
      },
    });
    const first = await safeFetch(`${s.url}/feed`, { allowHosts: [s.host] });
    assert.equal(first.status, 200);
    assert.equal(first.etag, etag);
    assert.equal(first.lastModified, lastModified);
    const second = await safeFetch(`${s.url}/feed`, { allowHosts: [s.host], etag: first.etag, lastModified: first.lastModified });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.bytes.length, 0);
    assert.equal(second.etag, etag);
    assert.equal(second.lastModified, lastModified, 'kept from the request when the 304 omits it');
    assert.equal(s.requests[1].headers['if-none-match'], etag);
    assert.equal(s.requests[1].headers['if-modified-since'], lastModified);
    const byDate = await safeFetch(`${s.url}/feed`, { allowHosts: [s.host], lastModified });
    assert.equal(byDate.notModified, true);
  });

  test('gzip, deflate (wrapped and raw) and brotli bodies decode', async () => {
    const text = 'Thousands marched downtown. '.repeat(200);
    const s = await server({
      '/gz': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(text)),
      '/br': (_req, res) => res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(text)),
      '/deflate': (_req, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(text)),
      '/raw': (_req, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(text)),
      '/both': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip, br' }).end(zlib.brotliCompressSync(zlib.gzipSync(text))),
      '/bad': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip'),
      '/odd': (_req, res) => res.writeHead(200, { 'content-encoding': 'compress' }).end('x'),
    });
    for (const path of ['/gz', '/br', '/deflate', '/raw', '/both']) {
      const r = await safeFetch(`${s.url}${path}`, { allowHosts: [s.host] });
      assert.equal(Buffer.from(r.bytes).toString(), text, path);
    }
    await refusal(safeFetch(`${s.url}/bad`, { allowHosts: [s.host] }), 'decompress');
    await refusal(safeFetch(`${s.url}/odd`, { allowHosts: [s.host] }), 'decompress');
  });
});

describe('hostile servers: no hang past the limits', () => {
  test('an endless body ends as too_large', async () => {
    const s = await server({
      '/endless': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(16 * 1024, 'a');
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      },
    });
    const t = Date.now();
    const e = await refusal(safeFetch(`${s.url}/endless`, { allowHosts: [s.host], maxBytes: 256 * 1024 }), 'too_large');
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
    assert.match(e.message, /262144-byte cap/);
  });

  test('an endless trickle ends at the total deadline', async () => {
    const s = await server({
      '/trickle': (_req, res) => {
        res.writeHead(200);
        const timer = setInterval(() => res.write('a'), 20);
        res.on('close', () => clearInterval(timer));
      },
    });
    const t = Date.now();
    await refusal(safeFetch(`${s.url}/trickle`, { allowHosts: [s.host], timeoutMs: 400 }), 'timeout');
    const took = Date.now() - t;
    assert.ok(took >= 350 && took < 1500, `took ${took} ms`);
  });

  test('a server that never answers times out within the deadline', async () => {
    const s = await server({ '/silent': () => {} });
    const t = Date.now();
    const e = await refusal(safeFetch(`${s.url}/silent`, { allowHosts: [s.host], timeoutMs: 300 }), 'timeout');
    const took = Date.now() - t;
    assert.ok(took >= 250 && took < 1200, `took ${took} ms`);
    assert.match(e.message, /300 ms/);
  });

  test('a listener that never accepts ends as connect_timeout', { skip: process.platform !== 'linux' && 'relies on Linux dropping SYNs when the accept queue is full' }, async () => {
    // A child process listens on 127.0.0.1 with a backlog of 1 and blocks its event loop, so it accepts
    // nothing: once a few connections fill its accept queue, the kernel drops further SYNs.
    const child = spawn(
      process.execPath,
      ['-e', `const s = require('net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
        console.log(s.address().port); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000); });`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fillers: net.Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
      for (let i = 0; i < 4; i++) fillers.push(net.connect(port, '127.0.0.1').on('error', () => {}));
      await new Promise((r) => setTimeout(r, 100));
      const t = Date.now();
      const e = await refusal(safeFetch(`http://127.0.0.1:${port}/`, { allowHosts: [`127.0.0.1:${port}`], connectTimeoutMs: 200, timeoutMs: 5000 }), 'connect_timeout');
      assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
      assert.match(e.message, /connect timeout/);
    } finally {
      for (const f of fillers) f.destroy();
      child.kill();
    }
  });

  test('a Content-Length over the cap is refused before reading the body', async () => {
    const s = await server({
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
        res.write('a'); // and then nothing: only the header can end this quickly
      },
    });
    const t = Date.now();
    await refusal(safeFetch(`${s.url}/big`, { allowHosts: [s.host], timeoutMs: 5000 }), 'too_large');
    assert.ok(Date.now() - t < 1000);
  });

  test('a gzip bomb (1 GiB of zeros) ends as too_large, fast and without buffering it', async () => {
    let sent = 0;
    const s = await server({
      '/bomb': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
        const gz = zlib.createGzip({ level: 9 });
        gz.on('data', (c: Buffer) => (sent += c.length));
        pipeline(zeros(1024 ** 3), gz, res, () => {});
      },
      '/brbomb': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'br' });
        pipeline(zeros(1024 ** 3), zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }), res, () => {});
      },
    });
    const rss = process.memoryUsage().rss;
    const t = Date.now();
    const e = await refusal(safeFetch(`${s.url}/bomb`, { allowHosts: [s.host] }), 'too_large');
    const took = Date.now() - t;
    assert.match(e.message, /after decompression/);
    assert.ok(took < 3000, `took ${took} ms`);
    assert.ok(sent < 1024 * 1024, `the client stopped reading early (${sent} compressed bytes sent)`);
    const grew = process.memoryUsage().rss - rss;
    assert.ok(grew < 150 * 1024 * 1024, `RSS grew by ${Math.round(grew / 1024 / 1024)} MB`);
    await refusal(safeFetch(`${s.url}/bomb`, { allowHosts: [s.host], maxDecompressedBytes: 1024 * 1024 }), 'too_large');
    await refusal(safeFetch(`${s.url}/brbomb`, { allowHosts: [s.host], maxDecompressedBytes: 1024 * 1024 }), 'too_large');
  });

  test('a connection closed mid-body is a network error', async () => {
    const s = await server({
      '/cut': (req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
      },
    });
    await refusal(safeFetch(`${s.url}/cut`, { allowHosts: [s.host] }), 'network');
  });

  test('a refused connection is a network error; the caller can abort', async () => {
    const s = await server({ '/slow': () => {} });
    const port = s.port;
    await s.close();
    await refusal(safeFetch(`http://127.0.0.1:${port}/`, { allowHosts: [`127.0.0.1:${port}`] }), 'network');
    const live = await server({ '/slow': () => {} });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const e = await refusal(safeFetch(`${live.url}/slow`, { allowHosts: [live.host], signal: ctl.signal }), 'network');
    assert.match(e.message, /aborted/);
  });
});

describe('robots.txt', () => {
  test('parser: agent groups, longest match, Allow on ties, wildcards and $', () => {
    const text =
      [
        '# comment',
        'User-agent: *',
        'Disallow: /private',
        'Allow: /private/press',
        'Disallow: /*.pdf$',
        'Disallow: /search*q=',
        '',
        'User-agent: OtherBot',
        'User-agent: turnout/0.1',
        'Disallow: /other-only',
        'Allow: /tie',
        'Disallow: /tie',
        'Disallow:',
        'Sitemap: https://example.org/sitemap.xml',
      ].join('\n');
    const star = parseRobots(text, '*nobody*');
    assert.equal(star.allows('/'), true);
    assert.equal(star.allows('/private/x'), false);
    assert.equal(star.allows('/private/press/release'), true);
    assert.equal(star.allows('/files/a.pdf'), false);
    assert.equal(star.allows('/files/a.pdf?x=1'), true);
    assert.equal(star.allows('/search?lang=en&q=march'), false);
    assert.equal(star.allows('/robots.txt'), true);
    const own = parseRobots(text); // "Turnout" matches "turnout/0.1"; the * group no longer applies
    assert.equal(own.allows('/private/x'), true);
    assert.equal(own.allows('/other-only/page'), false);
    assert.equal(own.allows('/tie'), true);
    assert.equal(parseRobots('User-agent: googlebot\nDisallow: /').allows('/x'), true);
    assert.equal(parseRobots('User-agent: *\nDisallow: /').allows('/x'), false);
    assert.equal(parseRobots('User-agent: *\nDisallow: /caf%c3%a9').allows('/café'), false);
  });

  test('a disallowed URL is refused with code robots; allowed URLs are fetched; robots.txt is cached', async () => {
    const s = await server({
      '/robots.txt': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n'),
      '*': (_req, res) => res.end('page'),
    });
    const robots = new RobotsCache({ allowHosts: [s.host] });
    const e = await refusal(safeFetch(`${s.url}/private/a`, { allowHosts: [s.host], robots }), 'robots');
    assert.match(e.message, /disallowed by robots\.txt/);
    const r = await safeFetch(`${s.url}/public`, { allowHosts: [s.host], robots });
    assert.equal(Buffer.from(r.bytes).toString(), 'page');
    assert.deepEqual(
      s.requests.map((q) => q.url),
      ['/robots.txt', '/public'],
    );
    assert.equal(s.requests[0].headers['user-agent'], USER_AGENT);
  });

  test('robots.txt is checked for redirect targets too', async () => {
    const s = await server({
      '/robots.txt': (_req, res) => res.end('User-agent: Turnout\nDisallow: /private\n'),
      '/go': (_req, res) => res.writeHead(302, { location: '/private/x' }).end(),
      '*': (_req, res) => res.end('page'),
    });
    const robots = new RobotsCache({ allowHosts: [s.host] });
    await refusal(safeFetch(`${s.url}/go`, { allowHosts: [s.host], robots }), 'robots');
    assert.ok(!s.requests.some((q) => q.url === '/private/x'));
  });

  test('robots.txt 404 allows all; 5xx disallows for a while', async () => {
    let status = 503;
    const s = await server({ '/robots.txt': (_req, res) => res.writeHead(status).end('err'), '*': (_req, res) => res.end('ok') });
    const none = await server({ '/anything': (_req, res) => res.end('ok') }); // no robots.txt route: 404
    let clock = 0;
    const robots = new RobotsCache({ allowHosts: [s.host, none.host], errorTtlMs: 1000, now: () => clock });
    assert.equal(await robots.allowed(`${none.url}/anything`), true);
    assert.equal(robots.reason(`${none.url}/`), 'HTTP 404');
    assert.equal(await robots.allowed(`${s.url}/anything`), false);
    assert.equal(robots.reason(`${s.url}/`), 'HTTP 503');
    status = 404;
    assert.equal(await robots.allowed(`${s.url}/anything`), false, 'still cached');
    clock += 1001;
    assert.equal(await robots.allowed(`${s.url}/anything`), true, 'retried after errorTtlMs');
  });

  test('robots.txt fetch goes through the SSRF check', async () => {
    const s = await server({ '*': (_req, res) => res.end('ok') });
    const robots = new RobotsCache({ allowHosts: [] });
    assert.equal(await robots.allowed(`${s.url}/x`), false);
    assert.equal(robots.reason(`${s.url}/`), 'ssrf');
    assert.equal(s.requests.length, 0);
  });
});

describe('politeness', () => {
  test('request starts to one host are spaced; other hosts do not wait', async () => {
    const p = new Politeness(300);
    const t = Date.now();
    const starts: number[] = [];
    await Promise.all([0, 1, 2].map(() => p.wait('a.example').then(() => starts.push(Date.now() - t))));
    starts.sort((x, y) => x - y);
    assert.ok(starts[1] >= 290 && starts[2] >= 590, starts.join(','));
    // another host's turn is now: far less than the interval, however busy the machine
    const u = Date.now();
    await p.wait('b.example');
    assert.ok(Date.now() - u < 150);
  });

  test('safeFetch waits for the host turn on each hop', async () => {
    const s = await server({ '/a': (_req, res) => res.writeHead(302, { location: '/b' }).end(), '/b': (_req, res) => res.end('b') });
    const politeness = new Politeness(60);
    const t = Date.now();
    await safeFetch(`${s.url}/a`, { allowHosts: [s.host], politeness });
    assert.ok(Date.now() - t >= 55);
  });
});
