#!/usr/bin/env node
// A qrcert adapter in Node.js: JSON lines on stdin/stdout around a table of functions.
//
// Replace the bodies of describe/parse/validate with calls into your own SDK and add
// generate/render/scan when you have them; ops missing from HANDLERS answer "unsupported".
// Log to stderr only (console.error): stdout carries the protocol.
'use strict';
const readline = require('readline');

// Tags whose values are templates of nested data objects (EMVCo MPM).
const isTemplate = (tag) => (tag >= 26 && tag <= 51) || tag === 62 || tag === 64 || tag >= 80;

class Refusal extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

// Two-digit tag, two-digit length in characters (code points, not UTF-16 units), value.
function readTlv(chars, nested) {
  const fields = {};
  let i = 0;
  while (i < chars.length) {
    const tag = chars.slice(i, i + 2).join('');
    const length = chars.slice(i + 2, i + 4).join('');
    if (!/^\d\d$/.test(tag) || !/^\d\d$/.test(length)) {
      throw new Refusal('E_TLV', `cannot read a tag and length at offset ${i}`);
    }
    const n = Number(length);
    const value = chars.slice(i + 4, i + 4 + n);
    if (value.length < n) throw new Refusal('E_TLV', `tag ${tag} is cut short at offset ${i}`);
    fields[tag] = nested && isTemplate(Number(tag)) ? readTlv(value, false) : value.join('');
    i += 4 + n;
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

const HANDLERS = {
  describe: () => ({
    name: 'example-node-adapter', version: '1.0.0',
    capabilities: ['parse', 'validate'], profiles: ['emvco'],
  }),
  parse: (req) => ({ fields: readTlv(Array.from(req.payload), true) }),
  validate: (req) => {
    const payload = req.payload;
    const errors = [];
    try { readTlv(Array.from(payload), true); } catch (e) {
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
