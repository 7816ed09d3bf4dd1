#!/usr/bin/env node
// qrcert adapter for promptparse (npm, pinned in package.json): an independent, widely used
// JavaScript library for PromptPay and EMVCo MPM QR codes, by another author than qrcert's.
// JSON lines on stdin/stdout; see docs/adapter-protocol.md. Log to stderr only.
//
// What maps to what (README.md has the details):
//   parse    -> parse(payload, false, true): its TLV tags, sub-tags where it finds them;
//   validate -> parse(payload, true) (strict: the CRC must match) and EMVCoQR#validate('63')
//               (re-encoding the tags must reproduce the payload): the library's only checks;
//   generate -> the library's encoder: tag(), encode() and withCrcTag() over the data objects
//               of the neutral merchant data, in ascending ID order.
// Under the thaiqr profile it is used the way a Thai payment app uses it:
//   validate -> parse(payload, true), then validate.anyId / validate.billPayment: valid when
//               either returns data;
//   generate -> generate.anyId (promptpay accounts) / generate.billPayment (promptpay-bill).
'use strict';
const readline = require('readline');
const path = require('path');

const LIB_DIR = path.join(__dirname, 'node_modules', 'promptparse');
let lib;
try {
  lib = { ...require(LIB_DIR), version: require(path.join(LIB_DIR, 'package.json')).version };
} catch (e) {
  console.error(`promptparse is not installed: run \`npm ci\` in ${__dirname} (${e.message})`);
  process.exit(3);
}

class Refusal extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

function toFields(tags) {
  const fields = {};
  for (const t of tags) {
    // A repeated ID keeps its first occurrence, as qrcert's protocol asks.
    if (fields[t.id] !== undefined) continue;
    fields[t.id] = t.subTags ? toFields(t.subTags) : t.value;
  }
  return fields;
}

function parse(req) {
  const qr = lib.parse(req.payload, false, true);
  if (!qr) throw new Refusal('E_PARSE', 'promptparse could not parse the payload');
  return { fields: toFields(qr.getTags()) };
}

// A Thai payment app: the CRC check, then the credit-transfer or bill-payment reader.
function validateThai(req) {
  if (!lib.parse(req.payload, true, true)) {
    const code = lib.parse(req.payload, false, true) ? 'E_CRC' : 'E_PARSE';
    return { valid: false, errors: [{ code, message: 'parse(payload, true) returned null' }] };
  }
  const data = lib.validate.anyId(req.payload) || lib.validate.billPayment(req.payload);
  if (!data) {
    return {
      valid: false,
      errors: [{ code: 'E_THAI', message: 'neither validate.anyId nor validate.billPayment accepts it' }],
    };
  }
  return { valid: true, errors: [] };
}

function validate(req) {
  if (req.profile === 'thaiqr') return validateThai(req);
  const errors = [];
  const strict = lib.parse(req.payload, true, true);
  if (!strict) {
    if (lib.parse(req.payload, false, true)) {
      errors.push({ code: 'E_CRC', message: 'the last four characters are not the CRC of the rest' });
    } else {
      errors.push({ code: 'E_PARSE', message: 'promptparse could not parse the payload' });
    }
  } else if (!strict.validate('63')) {
    errors.push({ code: 'E_STRUCTURE', message: 're-encoding the decoded tags does not give the payload back' });
  }
  return { valid: errors.length === 0, errors };
}

const PROXY = { mobile: 'MSISDN', national_id: 'NATID', ewallet_id: 'EWALLETID', bank_account: 'BANKACC' };

// The library's PromptPay generators take a proxy or a biller and an amount (a number, as
// documented); anything else in the merchant data is input they cannot express.
function generateThai(d) {
  const acc = d.account || {};
  const m = d.merchant || {};
  const t = d.transaction || {};
  const a = d.additional || {};
  const cannot = (what) => new Refusal('sdk_cannot_express', `promptparse's generators have no parameter for ${what}`);
  for (const k of ['name', 'city', 'category_code', 'postal_code', 'alternate_language']) {
    if (m[k] !== undefined) throw cannot(`merchant.${k}`);
  }
  if (t.tip) throw cannot('a tip');
  const amount = t.amount === undefined ? undefined : Number(t.amount);
  if (acc.scheme === 'promptpay') {
    if (acc.ota !== undefined) throw cannot('a one-time authorisation code');
    const keys = Object.keys(PROXY).filter((k) => acc[k] !== undefined);
    if (keys.length !== 1) throw new Refusal('bad_input', 'exactly one proxy is needed');
    return lib.generate.anyId({ type: PROXY[keys[0]], target: acc[keys[0]], amount });
  }
  if (acc.scheme === 'promptpay-bill') {
    return lib.generate.billPayment({
      billerId: acc.biller_id, amount, ref1: acc.reference1, ref2: acc.reference2, ref3: a.terminal_label,
    });
  }
  throw new Refusal('bad_input', `account scheme ${acc.scheme} is not a Thai account`);
}

// The neutral merchant data (src/merchant.rs) as EMVCo data objects, encoded by the library.
function generate(req) {
  if (req.profile === 'thaiqr') return { payload: generateThai(req.input || {}) };
  const d = req.input || {};
  const acc = d.account || {};
  const m = d.merchant || {};
  const t = d.transaction || {};
  const a = d.additional || {};
  const { tag, encode, withCrcTag } = lib;
  const tpl = (id, subs) => {
    const present = subs.filter(([, v]) => v !== undefined && v !== null);
    return present.length ? [{ ...tag(id, encode(present.map(([s, v]) => tag(s, v)))) }] : [];
  };
  const tags = [tag('00', '01'), tag('01', d.kind === 'dynamic' ? '12' : '11')];
  switch (acc.scheme) {
    case 'primitive': tags.push(tag(String(acc.tag).padStart(2, '0'), acc.value)); break;
    case 'template':
      tags.push(...tpl(String(acc.tag).padStart(2, '0'),
        [['00', acc.guid], ...Object.entries(acc.fields || {}).sort()]));
      break;
    case 'jpqr':
      tags.push(...tpl('26', [['00', 'jp.or.paymentsjapan'], ['01', acc.level1], ['02', acc.level2],
        ['03', acc.level3], ['04', acc.level4]]));
      break;
    case 'bakong':
      if (acc.upi_account) tags.push(tag('15', acc.upi_account));
      tags.push(...tpl(acc.type === 'merchant' ? '30' : '29',
        [['00', acc.bakong_id], ['01', acc.merchant_id], ['02', acc.acquiring_bank]]));
      break;
    default: throw new Refusal('bad_input', `unknown account scheme ${acc.scheme}`);
  }
  if (!m.category_code) throw new Refusal('bad_input', 'merchant.category_code is required');
  if (!t.currency) throw new Refusal('bad_input', 'transaction.currency is required');
  if (!m.country) throw new Refusal('bad_input', 'merchant.country is required');
  tags.push(tag('52', m.category_code), tag('53', t.currency));
  if (t.amount !== undefined) tags.push(tag('54', t.amount));
  if (t.tip) {
    const ind = { prompt: '01', fixed: '02', percentage: '03' }[t.tip.indicator];
    tags.push(tag('55', ind));
    if (t.tip.indicator === 'fixed') tags.push(tag('56', t.tip.value));
    if (t.tip.indicator === 'percentage') tags.push(tag('57', t.tip.value));
  }
  tags.push(tag('58', m.country), tag('59', m.name), tag('60', m.city));
  if (m.postal_code) tags.push(tag('61', m.postal_code));
  tags.push(...tpl('62', [['01', a.bill_number], ['02', a.mobile_number], ['03', a.store_label],
    ['04', a.loyalty_number], ['05', a.reference_label], ['06', a.customer_label],
    ['07', a.terminal_label], ['08', a.purpose], ['09', a.consumer_data_request]]));
  const alt = m.alternate_language;
  if (alt) tags.push(...tpl('64', [['00', alt.language], ['01', alt.name], ['02', alt.city]]));
  return { payload: withCrcTag(encode(tags), '63') };
}

const HANDLERS = {
  describe: () => ({
    name: 'promptparse', version: lib.version,
    capabilities: ['parse', 'validate', 'generate'], profiles: ['emvco', 'thaiqr'],
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
