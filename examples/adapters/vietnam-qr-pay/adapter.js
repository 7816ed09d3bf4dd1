#!/usr/bin/env node
// qrcert adapter for vietnam-qr-pay (npm, pinned in package.json): an independent JavaScript
// library that encodes and decodes VietQR (NAPAS) and VNPAY-QR codes, by another author than
// qrcert's. JSON lines on stdin/stdout; see docs/adapter-protocol.md. Log to stderr only.
//
// What maps to what (README.md has the details):
//   parse    -> new QRPay(payload): its model put back under the tags it read;
//   validate -> new QRPay(payload).isValid: the library's only check;
//   generate -> QRPay.initVietQR({bankBin, bankNumber, amount, purpose, service, initMethod}),
//               category, merchant.name, city and 62 fields set on the instance, then build().
'use strict';
const readline = require('readline');
const path = require('path');

const LIB_DIR = path.join(__dirname, 'node_modules', 'vietnam-qr-pay');
let lib;
try {
  lib = { ...require(LIB_DIR), version: require(path.join(LIB_DIR, 'package.json')).version };
} catch (e) {
  console.error(`vietnam-qr-pay is not installed: run \`npm ci\` in ${__dirname} (${e.message})`);
  process.exit(3);
}
const { QRPay } = lib;

class Refusal extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

// Puts the library's model back under the tags it came from; what it did not model is gone.
function toFields(q) {
  const f = {};
  const put = (obj, k, v) => { if (v !== undefined && v !== null && v !== '') obj[k] = v; };
  put(f, '00', q.version);
  put(f, '01', q.initMethod);
  const p = q.provider || {};
  if (p.fieldId) {
    const t = {};
    put(t, '00', p.guid);
    if (p.name === 'VIETQR') {
      const c = {};
      put(c, '00', q.consumer && q.consumer.bankBin);
      put(c, '01', q.consumer && q.consumer.bankNumber);
      if (Object.keys(c).length) t['01'] = c;
    } else {
      put(t, '01', (q.merchant && q.merchant.id) || p.data);
    }
    put(t, '02', p.service);
    f[p.fieldId] = t;
  }
  put(f, '52', q.category);
  put(f, '53', q.currency);
  put(f, '54', q.amount);
  put(f, '55', q.tipAndFeeType);
  put(f, '56', q.tipAndFeeAmount);
  put(f, '57', q.tipAndFeePercent);
  put(f, '58', q.nation);
  put(f, '59', q.merchant && q.merchant.name);
  put(f, '60', q.city);
  put(f, '61', q.zipCode);
  const a = q.additionalData || {};
  const ad = {};
  [['01', 'billNumber'], ['02', 'mobileNumber'], ['03', 'store'], ['04', 'loyaltyNumber'],
    ['05', 'reference'], ['06', 'customerLabel'], ['07', 'terminal'], ['08', 'purpose'],
    ['09', 'dataRequest']].forEach(([id, k]) => put(ad, id, a[k]));
  if (Object.keys(ad).length) f['62'] = ad;
  for (const [k, v] of Object.entries(q.EVMCo || {})) put(f, k, v);
  for (const [k, v] of Object.entries(q.unreserved || {})) put(f, k, v);
  put(f, '63', q.crc);
  return f;
}

function parse(req) {
  const q = new QRPay(req.payload);
  if (!q.isValid) throw new Refusal('E_INVALID', 'new QRPay(payload).isValid is false');
  return { fields: toFields(q) };
}

function validate(req) {
  const q = new QRPay(req.payload);
  return q.isValid
    ? { valid: true, errors: [] }
    : { valid: false, errors: [{ code: 'E_INVALID', message: 'new QRPay(payload).isValid is false' }] };
}

function generate(req) {
  const d = req.input || {};
  const acc = d.account || {};
  const m = d.merchant || {};
  const t = d.transaction || {};
  const a = d.additional || {};
  if (acc.scheme !== 'napas') throw new Refusal('bad_input', `account scheme ${acc.scheme} is not a VietQR account`);
  const cannot = (what) => new Refusal('sdk_cannot_express', `vietnam-qr-pay has no parameter for ${what}`);
  if (m.postal_code !== undefined) throw cannot('merchant.postal_code');
  if (m.alternate_language !== undefined) throw cannot('merchant.alternate_language (64)');
  if (t.tip) throw cannot('a tip');
  const q = QRPay.initVietQR({
    bankBin: acc.bin,
    bankNumber: acc.account,
    amount: t.amount,
    purpose: a.purpose,
    service: acc.service,
    initMethod: d.kind === 'dynamic' ? '12' : '11',
  });
  if (m.category_code !== undefined) q.category = m.category_code;
  if (m.name !== undefined) q.merchant.name = m.name;
  if (m.city !== undefined) q.city = m.city;
  if (t.currency !== undefined) q.currency = t.currency;
  if (m.country !== undefined) q.nation = m.country;
  const fields = { bill_number: 'billNumber', mobile_number: 'mobileNumber', store_label: 'store',
    loyalty_number: 'loyaltyNumber', reference_label: 'reference', customer_label: 'customerLabel',
    terminal_label: 'terminal', consumer_data_request: 'dataRequest' };
  for (const [k, v] of Object.entries(fields)) if (a[k] !== undefined) q.additionalData[v] = a[k];
  return { payload: q.build() };
}

const HANDLERS = {
  describe: () => ({
    name: 'vietnam-qr-pay', version: lib.version,
    capabilities: ['parse', 'validate', 'generate'], profiles: ['vietqr'],
  }),
  parse, validate, generate,
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
      console.error(e); // a library bug must not kill the adapter
      body = { ok: false, error: { code: 'exception', message: String(e) } };
    }
  }
  body.id = req.id;
  return body;
}

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  if (line.trim()) process.stdout.write(JSON.stringify(answer(line)) + '\n');
});
