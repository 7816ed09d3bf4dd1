#!/usr/bin/env node
// qrcert adapter for the National Bank of Cambodia's official KHQR SDK for JavaScript
// (`bakong-khqr` on npm, pinned in package.json). JSON lines on stdin/stdout; see
// docs/adapter-protocol.md. Log to stderr only: stdout carries the protocol.
//
// What maps to what (README.md has the details):
//   validate -> BakongKHQR.verify(payload).isValid; when false, the SDK's own validation step
//               (src/controller/decodeValidation, which verify calls) is asked for its error code;
//   parse    -> BakongKHQR.decode(payload), its named fields put back under their tags;
//   generate -> BakongKHQR#generateIndividual / #generateMerchant from the neutral merchant data.
// The SDK reads the clock with Date.now(): the adapter pins it to the request's `now` while
// verifying, and to the input's creation time while generating, so results are reproducible.
// Some malformed payloads send the SDK into an endless loop: every SDK call runs under a 2 s
// watchdog (node:vm can stop synchronous code), and a call that does not return is answered
// `sdk_hung`, so one hang never holds up the requests queued behind it.
'use strict';
const readline = require('readline');
const path = require('path');
const vm = require('vm');

const SDK_DIR = path.join(__dirname, 'node_modules', 'bakong-khqr');
let sdk;
try {
  sdk = {
    ...require(SDK_DIR),
    validation: require(path.join(SDK_DIR, 'src', 'controller', 'decodeValidation')),
    version: require(path.join(SDK_DIR, 'package.json')).version,
  };
} catch (e) {
  console.error(`bakong-khqr is not installed: run \`npm ci\` in ${__dirname} (${e.message})`);
  process.exit(3);
}
const { BakongKHQR, khqrData, IndividualInfo, MerchantInfo } = sdk;

class Refusal extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

const WATCHDOG_MS = 2000;

// Runs an SDK call, stopping it when it does not return within WATCHDOG_MS.
function guarded(what, fn) {
  try {
    return vm.runInNewContext('call()', { call: fn }, { timeout: WATCHDOG_MS });
  } catch (e) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new Refusal('sdk_hung', `${what} did not return within ${WATCHDOG_MS} ms (an endless loop in the SDK)`);
    }
    throw e;
  }
}

// Runs `fn` with Date.now() answering `ms` (when given): the SDK has no clock parameter.
function atClock(ms, fn) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return fn();
  const real = Date.now;
  Date.now = () => ms;
  try { return fn(); } finally { Date.now = real; }
}

// The SDK's error responses are `{status: {errorCode, message}}`; anything else it throws is a bug.
function sdkError(e) {
  if (e && e.status && e.status.errorCode != null) {
    return { code: String(e.status.errorCode), message: e.status.message };
  }
  return { code: 'exception', message: String(e && e.message ? e.message : e) };
}

function validate(req) {
  const now = req.now ? Date.parse(req.now) : undefined;
  return atClock(now, () => {
    const valid = guarded('BakongKHQR.verify', () => BakongKHQR.verify(req.payload)).isValid === true;
    if (valid) return { valid, errors: [] };
    // verify() says only true or false. Its checks are: the CRC (regex and value), a minimum
    // length (both reported by the SDK as KHQR_INVALID, code 8), then decodeValidation, whose
    // error response carries the code.
    let error = { code: '8', message: 'KHQR provided is invalid (CRC or length)' };
    try {
      guarded('decodeValidation', () => sdk.validation(req.payload));
    } catch (e) {
      // verify() returned, so if decodeValidation hangs here verify never reached it: the
      // CRC or length check said no (code 8).
      if (!(e instanceof Refusal)) error = sdkError(e);
    }
    return { valid, errors: [error] };
  });
}

// decode()'s named fields, back under their tags and sub-tags.
const ROOT = {
  '00': 'payloadFormatIndicator', '01': 'pointofInitiationMethod', '15': 'unionPayMerchant',
  '52': 'merchantCategoryCode', '53': 'transactionCurrency', '54': 'transactionAmount',
  '58': 'countryCode', '59': 'merchantName', '60': 'merchantCity', '63': 'crc',
};
const TEMPLATES = {
  '62': { '01': 'billNumber', '02': 'mobileNumber', '03': 'storeLabel', '07': 'terminalLabel', '08': 'purposeOfTransaction' },
  '64': { '00': 'languagePreference', '01': 'merchantNameAlternateLanguage', '02': 'merchantCityAlternateLanguage' },
  '99': { '00': 'creationTimestamp', '01': 'expirationTimestamp' },
};

function parse(req) {
  const decoded = guarded('BakongKHQR.decode', () => BakongKHQR.decode(req.payload));
  const d = decoded && decoded.data;
  if (!d) throw new Refusal(sdkError(decoded).code, 'decode returned no data');
  const present = (v) => v !== null && v !== undefined;
  const fields = {};
  for (const [tag, name] of Object.entries(ROOT)) if (present(d[name])) fields[tag] = String(d[name]);
  if (d.merchantType === '29' || d.merchantType === '30') {
    const account = {};
    if (present(d.bakongAccountID)) account['00'] = d.bakongAccountID;
    const info = d.merchantType === '30' ? d.merchantID : d.accountInformation;
    if (present(info)) account['01'] = info;
    if (present(d.acquiringBank)) account['02'] = d.acquiringBank;
    fields[d.merchantType] = account;
  }
  for (const [tag, subs] of Object.entries(TEMPLATES)) {
    const t = {};
    for (const [sub, name] of Object.entries(subs)) if (present(d[name])) t[sub] = String(d[name]);
    if (Object.keys(t).length) fields[tag] = t;
  }
  return { fields };
}

// The neutral merchant data (src/merchant.rs) as the SDK's IndividualInfo / MerchantInfo.
function generate(req) {
  const data = req.input || {};
  const account = data.account || {};
  if (account.scheme !== 'bakong') {
    throw new Refusal('unsupported', `the KHQR SDK generates Bakong accounts only, not ${account.scheme}`);
  }
  const m = data.merchant || {};
  const t = data.transaction || {};
  const a = data.additional || {};
  const cannot = [];
  if (t.tip) cannot.push('a tip or convenience fee (55-57)');
  if (m.country && m.country !== 'KH') cannot.push(`country ${m.country}`);
  if (m.postal_code) cannot.push('a postal code (61)');
  for (const k of ['loyalty_number', 'reference_label', 'customer_label', 'consumer_data_request']) {
    if (a[k]) cannot.push(`additional.${k}`);
  }
  if (cannot.length) throw new Refusal('sdk_cannot_express', `the SDK has no parameter for ${cannot.join(', ')}`);
  const currency = { '116': khqrData.currency.khr, '840': khqrData.currency.usd }[t.currency || '116'];
  if (currency === undefined) throw new Refusal('28', `unsupported currency ${t.currency}`);
  const alt = m.alternate_language || {};
  const optional = {
    currency,
    amount: t.amount === undefined ? undefined : Number(t.amount),
    accountInformation: account.type === 'individual' ? account.merchant_id : undefined,
    acquiringBank: account.type === 'individual' ? account.acquiring_bank : undefined,
    billNumber: a.bill_number, mobileNumber: a.mobile_number, storeLabel: a.store_label,
    terminalLabel: a.terminal_label, purposeOfTransaction: a.purpose,
    languagePreference: alt.language, merchantNameAlternateLanguage: alt.name,
    merchantCityAlternateLanguage: alt.city,
    upiMerchantAccount: account.upi_account,
    expirationTimestamp: t.expires_at_ms === undefined ? undefined : Number(t.expires_at_ms),
    merchantCategoryCode: m.category_code,
  };
  const khqr = new BakongKHQR();
  const created = t.created_at_ms === undefined ? undefined : Number(t.created_at_ms);
  const response = atClock(created, () => guarded('BakongKHQR generate', () => (account.type === 'merchant'
    ? khqr.generateMerchant(new MerchantInfo(account.bakong_id, m.name, m.city,
      account.merchant_id, account.acquiring_bank, optional))
    : khqr.generateIndividual(new IndividualInfo(account.bakong_id, m.name, m.city, optional)))));
  if (!response || !response.data || typeof response.data.qr !== 'string') {
    const e = sdkError(response);
    throw new Refusal(e.code, e.message);
  }
  // The SDK returns the payload's MD5 beside it (the Bakong Open API's lookup handle): pass it
  // on, so KHQR.GEN.MD5 judges it.
  return { payload: response.data.qr, md5: response.data.md5 };
}

const HANDLERS = {
  describe: () => ({
    name: 'bakong-khqr', version: sdk.version,
    capabilities: ['parse', 'validate', 'generate'], profiles: ['khqr'],
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
      // The SDK throws plain strings and response objects too: report them, never die.
      const err = sdkError(e);
      console.error(`op ${req.op}: ${err.message}`);
      body = { ok: false, error: err };
    }
  }
  body.id = req.id;
  return body;
}

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  if (line.trim()) process.stdout.write(JSON.stringify(answer(line)) + '\n');
});
