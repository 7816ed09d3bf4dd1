#!/usr/bin/env python3
"""A qrcert adapter in Python: JSON lines on stdin/stdout around a table of functions.

Replace the bodies of describe/parse/validate with calls into your own SDK and add
generate/render/scan when you have them; ops missing from HANDLERS answer "unsupported".
Log to stderr only: stdout carries the protocol.
"""
import json
import sys
import traceback

# Tags whose values are templates of nested data objects (EMVCo MPM).
TEMPLATES = set(range(26, 52)) | {62, 64} | set(range(80, 100))


class Refusal(Exception):
    """Raise to answer ok:false with your own error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def read_tlv(text, nested):
    """Two-digit tag, two-digit length in characters, value."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i:i + 2], text[i + 2:i + 4]
        if len(tag) < 2 or not tag.isdigit() or len(length) < 2 or not length.isdigit():
            raise Refusal("E_TLV", "cannot read a tag and length at offset %d" % i)
        value = text[i + 4:i + 4 + int(length)]
        if len(value) < int(length):
            raise Refusal("E_TLV", "tag %s is cut short at offset %d" % (tag, i))
        fields[tag] = read_tlv(value, False) if nested and int(tag) in TEMPLATES else value
        i += 4 + int(length)
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
    return {"name": "example-python-adapter", "version": "1.0.0",
            "capabilities": ["parse", "validate"], "profiles": ["emvco"]}


def parse(request):
    return {"fields": read_tlv(request["payload"], True)}


def validate(request):
    payload, errors = request["payload"], []
    try:
        read_tlv(payload, True)
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
