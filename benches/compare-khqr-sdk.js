#!/usr/bin/env node
// Helper of benches/compare-khqr-sdk (read that script first). Three modes:
//
//   generate N FILE    writes N KHQR payloads, one per line, made by the official SDK
//                      (bakong-khqr, vendored in examples/adapters/bakong-khqr) from seeded
//                      merchant data: individual and merchant accounts, static and dynamic,
//                      KHR and USD, some with a Khmer alternate-language template; every 20th
//                      payload gets a wrong CRC, so both sides must also say no.
//   verify FILE        times BakongKHQR.verify() over every line of FILE (the file read and
//                      split before the clock starts), prints `seconds valid_count` and writes
//                      one 0/1 verdict per line to FILE.sdk.
//   agree FILE         compares FILE.sdk with qrcert's JSON lines in FILE.qrcert.
//
// Date.now is pinned to CLOCK_MS in every mode: the SDK has no clock parameter, and qrcert is
// run with the same clock (--now), so both judge expiry at the same instant.
'use strict';
const fs = require('fs');
const path = require('path');

const CLOCK_MS = 1780000000000; // 2026-05-28T20:26:40Z
Date.now = () => CLOCK_MS;

const SDK_DIR = path.join(__dirname, '..', 'examples', 'adapters', 'bakong-khqr', 'node_modules', 'bakong-khqr');
let sdk;
try {
  sdk = require(SDK_DIR);
} catch (e) {
  console.error(`bakong-khqr is not installed: npm ci --prefix examples/adapters/bakong-khqr --no-audit --no-fund (${e.message})`);
  process.exit(3);
}
const { BakongKHQR, khqrData, IndividualInfo, MerchantInfo } = sdk;

// A small seeded generator (mulberry32), so the same N gives the same file.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Demo Noodle Bar', 'Cafe Klang', 'Sokha Mart', 'Angkor Books', 'Riverside Tea', 'Phsar Thmei 12'];
const CITIES = ['Phnom Penh', 'Battambang', 'Siem Reap', 'Kampot', 'Sihanoukville'];
const KHMER_NAMES = ['ហាងគុយទាវ', 'កាហ្វេ', 'ផ្សារថ្មី'];
const KHMER_CITIES = ['ភ្នំពេញ', 'បាត់ដំបង', 'សៀមរាប'];

function generate(n, file) {
  const next = rng(12);
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const khqr = new BakongKHQR();
  const lines = [];
  for (let i = 0; i < n; i++) {
    const dynamic = i % 2 === 1;
    const merchant = i % 4 >= 2;
    const usd = next() < 0.5;
    const optional = {
      currency: usd ? khqrData.currency.usd : khqrData.currency.khr,
      billNumber: next() < 0.5 ? `INV-${i}` : undefined,
      terminalLabel: next() < 0.3 ? `TILL-${i % 97}` : undefined,
    };
    if (next() < 0.3) {
      optional.languagePreference = 'km';
      optional.merchantNameAlternateLanguage = pick(KHMER_NAMES);
      optional.merchantCityAlternateLanguage = pick(KHMER_CITIES);
    }
    if (dynamic) {
      optional.amount = usd ? Math.round(next() * 10000) / 100 : 100 * (1 + Math.floor(next() * 5000));
      optional.expirationTimestamp = CLOCK_MS + 3600000;
    }
    const account = `user${i % 1000}@bank${i % 7}`;
    const name = pick(NAMES);
    const city = pick(CITIES);
    const response = merchant
      ? khqr.generateMerchant(new MerchantInfo(account, name, city, `M${i % 100000}`, 'Sandbox Bank', optional))
      : khqr.generateIndividual(new IndividualInfo(account, name, city, optional));
    if (!response || !response.data || typeof response.data.qr !== 'string') {
      throw new Error(`the SDK refused case ${i}: ${JSON.stringify(response && response.status)}`);
    }
    let qr = response.data.qr;
    if (i % 20 === 19) {
      // A wrong CRC: flip the last hex digit.
      const last = qr[qr.length - 1];
      qr = qr.slice(0, -1) + (last === '0' ? '1' : '0');
    }
    lines.push(qr);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function readLines(file) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function verify(file) {
  const lines = readLines(file);
  const verdicts = new Uint8Array(lines.length);
  let valid = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    if (BakongKHQR.verify(lines[i]).isValid === true) {
      verdicts[i] = 1;
      valid++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.writeFileSync(`${file}.sdk`, Buffer.from(verdicts.map((v) => v + 48)));
  console.log(`${seconds.toFixed(3)} ${valid}`);
}

function agree(file) {
  const sdkVerdicts = fs.readFileSync(`${file}.sdk`);
  const ours = readLines(`${file}.qrcert`);
  const payloads = readLines(file);
  if (ours.length !== sdkVerdicts.length) {
    console.log(`line counts differ: qrcert ${ours.length}, SDK ${sdkVerdicts.length}`);
    process.exit(1);
  }
  let same = 0;
  const examples = [];
  for (let i = 0; i < ours.length; i++) {
    const q = JSON.parse(ours[i]);
    const s = sdkVerdicts[i] === 49;
    if (q.line !== i + 1) {
      console.log(`qrcert line ${i + 1} answers line ${q.line}: out of order`);
      process.exit(1);
    }
    if (q.valid === s) same++;
    else if (examples.length < 3) {
      const rules = (q.findings || []).filter((f) => f.severity === 'MUST').map((f) => f.rule);
      examples.push(`  line ${i + 1}: qrcert ${q.valid} [${rules.join(', ')}], SDK ${s}: ${payloads[i]}`);
    }
  }
  console.log(`verdicts agree on ${same} of ${ours.length} payloads`);
  for (const e of examples) console.log(e);
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'generate') generate(Number(a), b);
else if (mode === 'verify') verify(a);
else if (mode === 'agree') agree(a);
else {
  console.error('usage: compare-khqr-sdk.js generate N FILE | verify FILE | agree FILE');
  process.exit(2);
}
