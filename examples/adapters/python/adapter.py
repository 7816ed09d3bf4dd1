#!/usr/bin/env python3
"""A qrcert adapter in Python: JSON lines on stdin/stdout around a table of functions.

Replace the bodies of describe/parse/validate with calls into your own SDK and add
generate/render/scan when you have them; ops missing from HANDLERS answer "unsupported".
Log to stderr only: stdout carries the protocol.
"""
import json
import sys
import traceback

# Tags whose values are templates of nested data objects (EMVCo MPM): at the root, and inside
# the additional data template 62 (payment-system specific templates 50-99).
TEMPLATES = set(range(26, 52)) | {62, 64} | set(range(80, 100))
TEMPLATES_IN_62 = set(range(50, 100))


class Refusal(Exception):
    """Raise to answer ok:false with your own error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def take(text, start, n, utf16):
    """The value of `n` length units from `start`: characters, or UTF-16 code units (KHQR)."""
    if not utf16:
        value = text[start:start + n]
        return value if len(value) == n else None
    end, units = start, 0
    while units < n and end < len(text):
        units += 2 if ord(text[end]) > 0xFFFF else 1
        end += 1
    return text[start:end] if units == n else None


def read_tlv(text, templates, utf16=False):
    """Two-digit tag, two-digit length, value; `templates` are the tags opened."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i:i + 2], text[i + 2:i + 4]
        if len(tag) < 2 or not tag.isdigit() or len(length) < 2 or not length.isdigit():
            raise Refusal("E_TLV", "cannot read a tag and length at offset %d" % i)
        value = take(text, i + 4, int(length), utf16)
        if value is None:
            raise Refusal("E_TLV", "tag %s is cut short at offset %d" % (tag, i))
        if int(tag) in templates:
            inner = TEMPLATES_IN_62 if templates is TEMPLATES and tag == "62" else set()
            fields[tag] = read_tlv(value, inner, utf16)
        else:
            fields[tag] = value
        i += 4 + len(value)
    return fields


def crc16(data):
    """CRC-16/CCITT-FALSE, as EMVCo tag 63 uses."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def describe(request):
    # Claim only what you implement fully. The validate below checks TLV shape and the CRC, far
    # too little to claim `validate`: claim it once it calls your SDK.
    return {"name": "example-python-adapter", "version": "1.0.0",
            "capabilities": ["parse"], "profiles": ["emvco", "jpqr", "khqr"]}


def open_napas(fields):
    """VietQR nests a template in its template 38 (GUID A000000727): 38/01 holds the bank BIN
    (00) and the account (01). Open it when it reads as TLV."""
    t = fields.get("38")
    if isinstance(t, dict) and t.get("00") == "A000000727" and isinstance(t.get("01"), str):
        try:
            t["01"] = read_tlv(t["01"], set())
        except Refusal:
            pass
    return fields


def parse(request):
    # EMVCo and JPQR count characters; the KHQR SDK counts UTF-16 code units. They differ only
    # above U+FFFF (emoji), so read by characters and retry by UTF-16 units.
    try:
        return {"fields": open_napas(read_tlv(request["payload"], TEMPLATES))}
    except Refusal:
        return {"fields": open_napas(read_tlv(request["payload"], TEMPLATES, utf16=True))}


def validate(request):
    payload, errors = request["payload"], []
    try:
        read_tlv(payload, TEMPLATES)
    except Refusal as bad:
        errors.append({"code": bad.code, "message": bad.message})
    if not payload.startswith("000201"):
        errors.append({"code": "E_PFI", "message": "the payload must start with 000201"})
    if len(payload) < 8 or payload[-8:-4] != "6304":
        errors.append({"code": "E_CRC_MISSING", "message": "tag 63 must end the payload"})
    else:
        expected = "%04X" % crc16(payload[:-4].encode("utf-8"))
        if payload[-4:].upper() != expected:
            errors.append({"code": "E_CRC", "message": "CRC is %s, expected %s" % (payload[-4:], expected)})
    return {"valid": not errors, "errors": errors}


HANDLERS = {"describe": describe, "parse": parse, "validate": validate}


def answer(line):
    try:
        request = json.loads(line)
    except ValueError as e:
        return {"id": None, "ok": False, "error": {"code": "bad_request", "message": str(e)}}
    handler = HANDLERS.get(request.get("op"))
    try:
        if handler is None:
            raise Refusal("unsupported", "%s is not supported" % request.get("op"))
        body = dict(handler(request), ok=True)
    except Refusal as r:
        body = {"ok": False, "error": {"code": r.code, "message": r.message}}
    except Exception as e:  # an SDK bug must not kill the adapter
        traceback.print_exc(file=sys.stderr)
        body = {"ok": False, "error": {"code": "internal", "message": repr(e)}}
    body["id"] = request.get("id")
    return body


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(answer(line)) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
