#!/usr/bin/env node
// A qrcert adapter in Node.js: JSON lines on stdin/stdout around a table of functions.
//
// Replace the bodies of describe/parse/validate with calls into your own SDK and add
// generate/render/scan when you have them; ops missing from HANDLERS answer "unsupported".
// Log to stderr only (console.error): stdout carries the protocol.
'use strict';
const readline = require('readline');

// Tags whose values are templates of nested data objects (EMVCo MPM): at the root, and inside
// the additional data template 62 (payment-system specific templates 50-99).
const ROOT = (tag) => (tag >= 26 && tag <= 51) || tag === 62 || tag === 64 || tag >= 80;
const IN_62 = (tag) => tag >= 50;
const NONE = () => false;

class Refusal extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

// Two-digit tag, two-digit length in characters (code points, not UTF-16 units), value.
// `units(ch)` is 1 per character, or the UTF-16 length for KHQR's counting.
function take(chars, start, n, units) {
  let end = start;
  let count = 0;
  while (count < n && end < chars.length) { count += units(chars[end]); end += 1; }
  return count === n ? chars.slice(start, end) : null;
}
const CHARS = () => 1;
const UTF16 = (ch) => ch.length;

function readTlv(chars, isTemplate, units = CHARS) {
  const fields = {};
  let i = 0;
  while (i < chars.length) {
    const tag = chars.slice(i, i + 2).join('');
    const length = chars.slice(i + 2, i + 4).join('');
    if (!/^\d\d$/.test(tag) || !/^\d\d$/.test(length)) {
      throw new Refusal('E_TLV', `cannot read a tag and length at offset ${i}`);
    }
    const n = Number(length);
    const value = take(chars, i + 4, n, units);
    if (value === null) throw new Refusal('E_TLV', `tag ${tag} is cut short at offset ${i}`);
    const inner = isTemplate === ROOT && tag === '62' ? IN_62 : NONE;
    fields[tag] = isTemplate(Number(tag)) ? readTlv(value, inner, units) : value.join('');
    i += 4 + value.length;
  }
  return fields;
}

// VietQR nests a template in its template 38 (GUID A000000727): 38/01 holds the bank BIN (00)
// and the account (01). Open it when it reads as TLV.
function openNapas(fields) {
  const t = fields['38'];
  if (t && typeof t === 'object' && t['00'] === 'A000000727' && typeof t['01'] === 'string') {
    try { t['01'] = readTlv(Array.from(t['01']), NONE); } catch (e) {
      if (!(e instanceof Refusal)) throw e;
    }
  }
  return fields;
}

// CRC-16/CCITT-FALSE, as EMVCo tag 63 uses.
function crc16(bytes) {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = ((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1) & 0xffff;
  }
  return crc;
}

// The currencies of the national profiles, with their minor units as the profiles count them
// (KHQR and JPQR amounts in riel and yen have no decimals, though ISO 4217 gives riel two).
const CURRENCIES = {
  116: ['KHR', 0], 392: ['JPY', 0], 840: ['USD', 2], 764: ['THB', 2], 704: ['VND', 0],
};

// A plain decimal as BigInt units and a scale (`2.50` is 250n, 2), or null.
function decimal(text) {
  if (typeof text !== 'string' || !/^(\d+\.?\d*|\.\d+)$/.test(text) || text.length > 19) return null;
  const [int, frac = ''] = text.split('.');
  return { units: BigInt((int || '0') + frac), scale: frac.length };
}
const rescale = (d, scale) => d.units * 10n ** BigInt(scale - d.scale);
// Written with exactly `minor` decimals, never rounding a value that has more.
function written(d, minor) {
  const scale = minor === undefined ? d.scale : Math.max(minor, d.scale);
  const text = rescale(d, scale).toString().padStart(scale + 1, '0');
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}
function plus(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}
// `pct` percent of `amount`, rounded half up to `minor` decimals.
function percent(amount, pct, minor) {
  const den = 10n ** BigInt(amount.scale + pct.scale + 2);
  const num = amount.units * pct.units * 10n ** BigInt(minor);
  return { units: (num + den / 2n) / den, scale: minor };
}

// What the payer confirms before paying: the payment screen, read from the code.
function payerView(fields) {
  const get = (...path) => {
    let node = fields;
    for (const key of path) {
      if (!node || typeof node !== 'object' || !(key in node)) return undefined;
      node = node[key];
    }
    return typeof node === 'string' ? node : undefined;
  };
  const view = {};
  let minor;
  if (get('53') !== undefined) {
    const [alpha, m] = CURRENCIES[get('53')] || [];
    minor = m;
    view.currency = { numeric: get('53') };
    if (alpha !== undefined) Object.assign(view.currency, { alpha, minor_units: m });
  }
  const raw = get('54');
  const amount = decimal(raw);
  if (raw !== undefined) {
    view.amount = amount && (minor === undefined || amount.scale <= minor) ? written(amount, minor) : raw;
  }
  view.amount_entered_by_payer = raw === undefined;
  view.merchant = {};
  for (const [key, path] of [['name', ['59']], ['city', ['60']], ['language', ['64', '00']],
    ['name_local', ['64', '01']], ['city_local', ['64', '02']]]) {
    if (get(...path) !== undefined) view.merchant[key] = get(...path);
  }
  for (const [key, path] of [['category', ['52']], ['bill_number', ['62', '01']], ['reference', ['62', '05']]]) {
    if (get(...path) !== undefined) view[key] = get(...path);
  }
  const indicator = get('55');
  if (indicator !== undefined) {
    const tip = { indicator };
    let fee = null;
    if (indicator === '02') fee = decimal(get('56'));
    if (indicator === '03') {
      if (get('57') !== undefined) tip.percentage = get('57');
      const pct = decimal(get('57'));
      if (pct && amount && minor !== undefined) fee = percent(amount, pct, minor);
    }
    if (fee) {
      tip.fee = written(fee, minor);
      if (amount) tip.total = written(plus(amount, fee), minor);
    }
    view.tip = tip;
  }
  const expiry = get('99', '01');
  if (get('01') === '12' && /^\d{13}$/.test(expiry || '')) {
    view.expires_at = new Date(Number(expiry)).toISOString();
  }
  return view;
}

const HANDLERS = {
  describe: () => ({
    name: 'example-node-adapter', version: '1.0.0',
    // Claim only what you implement fully. The validate below checks TLV shape and the CRC, far
    // too little to claim `validate`: claim it once it calls your SDK.
    capabilities: ['parse'], profiles: ['emvco', 'jpqr', 'khqr'],
  }),
  // EMVCo and JPQR count characters; the KHQR SDK counts UTF-16 code units. They differ only
  // above U+FFFF (emoji), so read by characters and retry by UTF-16 units.
  parse: (req) => {
    const chars = Array.from(req.payload);
    let fields;
    try { fields = openNapas(readTlv(chars, ROOT)); } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      fields = openNapas(readTlv(chars, ROOT, UTF16));
    }
    return { fields, payer: payerView(fields) };
  },
  // A cross-border request names the wallet judging the code (`wallet: 'jpqr'`); this sketch
  // judges every code alike, so it only reads it.
  validate: (req) => {
    const { payload, wallet: _wallet } = req;
    const errors = [];
    try { readTlv(Array.from(payload), ROOT); } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      errors.push({ code: e.code, message: e.message });
    }
    if (!payload.startsWith('000201')) {
      errors.push({ code: 'E_PFI', message: 'the payload must start with 000201' });
    }
    if (payload.length < 8 || payload.slice(-8, -4) !== '6304') {
      errors.push({ code: 'E_CRC_MISSING', message: 'tag 63 must end the payload' });
    } else {
      const expected = crc16(Buffer.from(payload.slice(0, -4), 'utf8'))
        .toString(16).toUpperCase().padStart(4, '0');
      if (payload.slice(-4).toUpperCase() !== expected) {
        errors.push({ code: 'E_CRC', message: `CRC is ${payload.slice(-4)}, expected ${expected}` });
      }
    }
    return { valid: errors.length === 0, errors };
  },
};

function answer(line) {
  let req;
  try { req = JSON.parse(line); } catch (e) {
    return { id: null, ok: false, error: { code: 'bad_request', message: e.message } };
  }
  let body;
  try {
    const handler = HANDLERS[req.op];
    if (!handler) throw new Refusal('unsupported', `${req.op} is not supported`);
    body = { ...handler(req), ok: true };
  } catch (e) {
    if (e instanceof Refusal) body = { ok: false, error: { code: e.code, message: e.message } };
    else {
      console.error(e); // an SDK bug must not kill the adapter
      body = { ok: false, error: { code: 'internal', message: String(e) } };
    }
  }
  body.id = req.id;
  return body;
}

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  if (line.trim()) process.stdout.write(JSON.stringify(answer(line)) + '\n');
});
