#!/usr/bin/env python3
"""A qrcert adapter in Python: JSON lines on stdin/stdout around a table of functions.

Replace the bodies of describe/parse/validate with calls into your own SDK and add
generate/render/scan when you have them; ops missing from HANDLERS answer "unsupported".
Log to stderr only: stdout carries the protocol.
"""
import json
import sys
import traceback
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


# The currencies of the national profiles, with their minor units as the profiles count them
# (KHQR and JPQR amounts in riel and yen have no decimals, though ISO 4217 gives riel two).
CURRENCIES = {"116": ("KHR", 0), "392": ("JPY", 0), "840": ("USD", 2),
              "764": ("THB", 2), "704": ("VND", 0)}


def number(text):
    """A plain decimal (`1000`, `2.50`), or None."""
    if not text or not all(c.isdigit() or c == "." for c in text) or text.count(".") > 1:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def written(value, minor):
    """`value` with exactly `minor` decimals (never rounding a value that has more)."""
    if value is None:
        return None
    exponent = -value.as_tuple().exponent
    if minor is None or exponent > minor:
        return str(value)
    return str(value.quantize(Decimal(1).scaleb(-minor)))


def payer_view(fields):
    """What the payer confirms before paying: the payment screen, read from the code."""
    def get(*path):
        node = fields
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node if isinstance(node, str) else None

    view, minor = {}, None
    if get("53") is not None:
        alpha, minor = CURRENCIES.get(get("53"), (None, None))
        view["currency"] = {k: v for k, v in
                            (("numeric", get("53")), ("alpha", alpha), ("minor_units", minor))
                            if v is not None}
    raw = get("54")
    amount = number(raw)
    if raw is not None:
        view["amount"] = written(amount, minor) if amount is not None else raw
    view["amount_entered_by_payer"] = raw is None
    view["merchant"] = {k: get(*p) for k, p in (
        ("name", ("59",)), ("city", ("60",)), ("language", ("64", "00")),
        ("name_local", ("64", "01")), ("city_local", ("64", "02"))) if get(*p) is not None}
    for key, path in (("category", ("52",)), ("bill_number", ("62", "01")),
                      ("reference", ("62", "05"))):
        if get(*path) is not None:
            view[key] = get(*path)
    indicator = get("55")
    if indicator is not None:
        tip, fee = {"indicator": indicator}, None
        if indicator == "02":
            fee = number(get("56"))
        elif indicator == "03":
            tip["percentage"] = get("57")
            pct = number(get("57"))
            if pct is not None and amount is not None and minor is not None:
                fee = (amount * pct / 100).quantize(Decimal(1).scaleb(-minor), ROUND_HALF_UP)
            if get("57") is None:
                del tip["percentage"]
        if fee is not None:
            tip["fee"] = written(fee, minor)
            if amount is not None:
                tip["total"] = written(amount + fee, minor)
        view["tip"] = tip
    expiry = get("99", "01")
    if get("01") == "12" and expiry and len(expiry) == 13 and expiry.isdigit():
        at = datetime.fromtimestamp(int(expiry) / 1000, tz=timezone.utc)
        view["expires_at"] = at.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (int(expiry) % 1000)
    return view


def parse(request):
    # EMVCo and JPQR count characters; the KHQR SDK counts UTF-16 code units. They differ only
    # above U+FFFF (emoji), so read by characters and retry by UTF-16 units.
    try:
        fields = open_napas(read_tlv(request["payload"], TEMPLATES))
    except Refusal:
        fields = open_napas(read_tlv(request["payload"], TEMPLATES, utf16=True))
    return {"fields": fields, "payer": payer_view(fields)}


def validate(request):
    # A cross-border request names the wallet judging the code ("wallet": "jpqr"); this sketch
    # judges every code alike, so it only reads it.
    payload, errors, _wallet = request["payload"], [], request.get("wallet")
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
