/**
 * Property tests (fast-check) of the validators everything else leans on:
 * the name rule, what tmux reads into an argument (on a real private tmux
 * server), static file paths (through a running daemon), and the
 * notification URL guard against an independent table of IANA's
 * special-purpose ranges.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { checkName, isValidName, NAME_MAX } from '../../src/shared/names.js';
import { argumentLiteral, commandArgv, formatLiteral, THEN, type TmuxArg } from '../../src/tmux/literal.js';
import { checkUrl, isPrivateAddress, UrlRefused } from '../../src/notify/url-guard.js';
import { privateTmux, RM_TREE } from '../helpers/tmux.js';
import { startServer } from '../helpers/server.js';

/** Characters that mean something to tmux, the shell or a path, mixed with plain ones. */
const TRICKY = fc.constantFrom(...'#{}()[],;:.$%@=\\\'" -_aZ9/\t!*?'.split(''), '#{', '#(', '##[', '\u00e9', '\u{1F600}');
const trickyString = (max: number) => fc.array(TRICKY, { maxLength: max }).map((a) => a.join(''));

test('names: accepted exactly when they follow the rule, and an accepted name is literal to tmux and no flag or id', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 80 }), trickyString(80), fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/)), (s) => {
    const c = checkName(s);
    const expected = s.length >= 1 && s.length <= NAME_MAX && /^[A-Za-z0-9_-]+$/.test(s) && !s.startsWith('-');
    assert.equal(c.ok, expected, JSON.stringify(s));
    assert.equal(isValidName(s), expected);
    if (c.ok) {
      assert.equal(formatLiteral(s), s, 'nothing for tmux to expand');
      assert.equal(argumentLiteral(s), s, 'nothing for tmux to split on');
      assert.ok(!/^[-$@%]/.test(s), 'not a flag or a tmux id');
    } else {
      assert.equal(c.error.split('\n').length, 1, 'a one-line error');
    }
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.anything(), (v) => typeof v === 'string' || !checkName(v).ok));
});

test('tmux reads back exactly what Roost meant: formats in expanded arguments, a final ";" in any', async () => {
  const t = privateTmux();
  await t.run('new-session', '-d', '-s', 'p', '-x', '80', '-y', '24');
  // display-message's message is format-expanded like -c and -n (and strftime'd: no %); option values are not expanded at all.
  const values = fc.sample(trickyString(24).filter((s) => !s.includes('%') && !s.includes('\t')), { numRuns: 300, seed: 0x7A11 });
  for (let i = 0; i < values.length; i += 50) {
    const batch = values.slice(i, i + 50);
    const shown: TmuxArg[] = batch.flatMap((v) => ['display-message', '-p', '--', formatLiteral(v), THEN]);
    assert.deepEqual((await t.run(...shown)).split('\n').slice(0, -1), batch, 'formats');
    const stored: TmuxArg[] = batch.flatMap((v, j) => ['set-option', '-t', 'p', '--', `@v${j}`, v, THEN]);
    await t.run(...stored);
    const read: TmuxArg[] = batch.flatMap((_v, j) => ['show-options', '-v', '-t', 'p', `@v${j}`, THEN]);
    assert.deepEqual((await t.run(...read)).split('\n').slice(0, -1), batch, 'values with ; and \\');
  }
  // And commandArgv leaves the arguments tmux takes as they are alone (targets, -F formats).
  fc.assert(fc.property(trickyString(20), (v) => {
    const argv = commandArgv(['list-sessions', '-F', `#{session_name}${v}`, '-f', v]);
    assert.deepEqual(argv.slice(0, 3), ['list-sessions', '-F', argumentLiteral(`#{session_name}${v}`)]);
  }));
});

test('static paths: whatever the path, a file inside the web build or a 404, never one outside it', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'roost-outside-'));
  after(() => rmSync(outside, RM_TREE));
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  const web = mkdtempSync(join(tmpdir(), 'roost-web-'));
  after(() => rmSync(web, RM_TREE));
  mkdirSync(join(web, 'sub'));
  writeFileSync(join(web, 'app.js'), 'APP');
  writeFileSync(join(web, 'sub', 'x.css'), 'CSS');
  symlinkSync(join(outside, 'secret.txt'), join(web, 'link.txt'));
  symlinkSync(outside, join(web, 'out'));
  const s = await startServer({ webRoot: web });
  const segment = fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '.%2e', '%2f', '%5c', '\\', '', 'app.js', 'sub', 'x.css', 'link.txt', 'out', 'secret.txt',
    '%00', 'app.js%00', '..%2f', '%c0%ae', '%ff', '~', '%20');
  await fc.assert(fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (parts) => {
    const r = await s.request('GET', `/assets/${parts.join('/')}`);
    assert.ok([200, 400, 404].includes(r.status), `${parts.join('/')}: ${r.status}`);
    assert.ok(!r.text.includes('SECRET'), `${parts.join('/')} leaked a file outside the build`);
    if (r.status === 200) assert.ok(['APP', 'CSS'].includes(r.text), `${parts.join('/')}: ${r.text}`);
  }), { numRuns: 300, seed: 0x5A7 });
});

/**
 * IANA's IPv4 and IPv6 special-purpose registries (and multicast), written
 * out here as an oracle independent of ipaddr.js. Two lists: a BlockList
 * also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d).
 */
function specialRanges(): { v4: BlockList; v6: BlockList } {
  const v4 = new BlockList();
  for (const c of ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
    '192.31.196.0/24', '192.52.193.0/24', '192.88.99.0/24', '192.168.0.0/16', '192.175.48.0/24', '198.18.0.0/15', '198.51.100.0/24',
    '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4']) v4.addSubnet(c.split('/')[0]!, Number(c.split('/')[1]), 'ipv4');
  const v6 = new BlockList();
  // Outside 2000::/3 nothing is global unicast; inside it, these are special.
  for (const c of ['::/3', '4000::/2', '8000::/1', '2001::/23', '2001:db8::/32', '2620:4f:8000::/48', '3fff::/20']) {
    v6.addSubnet(c.split('/')[0]!, Number(c.split('/')[1]), 'ipv6');
  }
  return { v4, v6 };
}

/** The IPv4 address an IPv6 form delivers to (mapped, NAT64 64:ff9b::/96, 6to4), or null. */
function carried(ip: string): string | null {
  const u = new URL(`http://[${ip}]/`).hostname.slice(1, -1); // the URL parser writes IPv6 in one canonical form
  const groups = (() => {
    const [h = '', t = ''] = u.split('::');
    const hs = h ? h.split(':') : [];
    const ts = u.includes('::') ? (t ? t.split(':') : []) : [];
    return [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => Number.parseInt(g, 16));
  })();
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return null;
}

test('the URL guard agrees with an independent table of IANA\'s special-purpose ranges, for any address and any URL', () => {
  const special = specialRanges();
  const oracle = (ip: string): boolean => {
    if (isIP(ip) === 4) return special.v4.check(ip, 'ipv4');
    const v4 = carried(ip);
    if (v4 !== null) return special.v4.check(v4, 'ipv4');
    return special.v6.check(ip, 'ipv6');
  };
  const interesting = fc.oneof(
    fc.ipV4(), fc.ipV6(),
    fc.tuple(fc.ipV4()).map(([v]) => `::ffff:${v}`),
    fc.tuple(fc.ipV4()).map(([v]) => `64:ff9b::${v}`),
    fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => `2002:${a.toString(16)}:${b.toString(16)}::1`),
    fc.tuple(fc.ipV4()).map(([v]) => `::${v}`),
  );
  fc.assert(fc.property(interesting, (ip) => {
    assert.equal(isPrivateAddress(ip), oracle(ip), ip);
    const host = ip.includes(':') ? `[${ip}]` : ip;
    const accepted = (() => {
      try {
        checkUrl(`https://${host}/hook`, { allowPrivate: false });
        return true;
      } catch (e) {
        assert.ok(e instanceof UrlRefused);
        return false;
      }
    })();
    assert.equal(accepted, !oracle(ip), `checkUrl ${host}`);
  }), { numRuns: 1500, seed: 0x1A4A });
  // Any URL at all: refused with UrlRefused, or an http(s) URL without credentials.
  fc.assert(fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (raw) => {
    try {
      const u = checkUrl(raw, { allowPrivate: false });
      assert.ok(['http:', 'https:'].includes(u.protocol) && !u.username && !u.password, raw);
      const h = u.hostname.replace(/^\[|\]$/g, '');
      if (isIP(h)) assert.equal(isPrivateAddress(h), false, raw);
    } catch (e) {
      assert.ok(e instanceof UrlRefused, `${raw}: ${String(e)}`);
    }
  }), { numRuns: 500, seed: 0x0421 });
});
