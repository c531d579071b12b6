#!/usr/bin/env python3
"""Readings oracle: gurux-dlms (GPL, run as an external process only) translates
real push APDUs to XML; this script takes from that XML, independently of the
Rust code, every register as gurux decodes it: a logical name (OctetString of 6
bytes) followed by its value and, when present, a scaler_unit structure
{Int8, Enum}. For value lists without logical names it records the raw values in
order. Output: JSON {"pushes": [{"name", "source", "apdu", "registers": [...],
"values": [...]}]} written to argv[1].

The APDUs are plaintext data-notifications (the encrypted ones were decrypted
with the keys their sources publish; see tests/vectors/security/vectors.json).
"""
import json
import sys
import xml.etree.ElementTree as ET

from gurux_dlms import GXByteBuffer, GXDLMSTranslator
from gurux_dlms.enums import TranslatorOutputType

SEC = json.load(open(sys.path[0] + "/../tests/vectors/security/vectors.json"))


def sec_plain(name):
    return next(v for v in SEC["apdus"] if v["name"] == name)["plaintext"]


PUSHES = [
    ("evn_kaifa_ma309", "athombv/node-dsmr-parser tests/telegrams/m-bus/austria-example-1.txt (decrypted)",
     sec_plain("evn_kaifa_ma309_push")),
    ("tinetz_kaifa", "fneur/smart-meter-tirol doc/EXAMPLE.md (decrypted plaintext given there)",
     sec_plain("tirol_kaifa_push")),
    ("aidon_no_list_3", "toreamun/amshan tests/test_aidon.py line 53",
     "0f4000000000" "0111"
     "020209060101000281ff0a0b4149444f4e5f5630303031"
     "020209060000600100ff0a1037333539393932383932353837363635"
     "020209060000600107ff0a0436353235020309060100010700ff0600000118"
     "02020f00161b020309060100020700ff0600000000"
     "02020f00161b020309060100030700ff0600000000"
     "02020f00161d020309060100040700ff0600000080"
     "02020f00161d0203090601001f0700ff10000d"
     "02020fff1621020309060100470700ff100009"
     "02020fff1621020309060100200700ff1208e4"
     "02020fff1623020309060100340700ff1208ff"
     "02020fff1623020309060100480700ff120905"
     "02020fff1623020209060000010000ff090c07e4011502100000ff000000"
     "020309060100010800ff060022ab8a"
     "02020f01161e020309060100020800ff0600000000"
     "02020f01161e020309060100030800ff060000e383"
     "02020f011620020309060100040800ff0600029b5b"
     "02020f011620"),
    ("kaifa_se_list", "toreamun/amshan tests/test_kaifa.py line 90",
     "0f4000000000" "0224"
     "09060100000281ff09074b464d5f303031"
     "09060000600100ff091037333430373334303733343037333430"
     "09060000600107ff09074d413330344834"
     "09060100010700ff0600000b00" "09060100020700ff0600000000"
     "09060100030700ff0600000000" "09060100040700ff0600000042"
     "090601001f0700ff0600001a7d" "09060100330700ff0600000316"
     "09060100470700ff06000017ed" "09060100200700ff0600000912"
     "09060100340700ff06000008fc" "09060100480700ff06000008f1"
     "09060000010000ff090c07e509160311231effffc400"
     "09060100010800ff0600490b23" "09060100020800ff0600000000"
     "09060100030800ff0600006674" "09060100040800ff060008d3e0"),
    ("kamstrup_se_real_sample", "toreamun/amshan tests/test_kamstrup.py line 165 (HDLC frame, LLC and FCS removed)",
     "0F000000000C07E6011801123A32FF80000002190A0E4B616D73747275705F563030303109060101000005FF0A1035373036353637333236353930343037"
     "09060101600101FF0A1236383431313338424E32343531303130393009060101010700FF060000033A09060101020700FF0600000000"
     "09060101030700FF060000006809060101040700FF06000000B0090601011F0700FF06000000ED09060101330700FF0600000059"
     "09060101470700FF060000004B09060101200700FF1200E809060101340700FF1200E909060101480700FF1200EC"),
    ("kaifa_no_list_3", "toreamun/amshan tests/test_kaifa.py line 56 (header date-time sent as 09 0C)",
     "0f40000000090c07e40119060e000aff8000000212"
     "09074b464d5f30303109103639373036333134303236313434373609084d41333034483345"
     "0600001328060000000006000000000600000179060000"
     "38eb0600003d1b06000025350600000891060000000006"
     "0000089d090c07e40119060e000aff8000000604be76e8"
     "060000000006000d922d060030feb4"),
]

INT_TAGS = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Enum"}


def leaves(elem):
    """Data elements of a Structure/Array in document order (not recursing)."""
    return [c for c in elem if c.tag in INT_TAGS | {"OctetString", "String", "Structure", "Array", "Boolean", "None"}]


def as_int(e):
    raw = bytes.fromhex(e.get("Value"))
    signed = e.tag.startswith("Int")
    return int.from_bytes(raw, "big", signed=signed)


def value_of(e):
    if e.tag in INT_TAGS:
        return {"int": as_int(e)}
    if e.tag in ("OctetString", "String"):
        return {"hex": e.get("Value")} if e.tag == "OctetString" else {"text": e.get("Value")}
    return {"other": e.tag}


def scaler_unit(e):
    if e is None or e.tag != "Structure":
        return None
    kids = leaves(e)
    if len(kids) == 2 and kids[0].tag == "Int8" and kids[1].tag == "Enum":
        return as_int(kids[0]), as_int(kids[1])
    return None


def registers(elem, out):
    kids = leaves(elem)
    i = 0
    while i < len(kids):
        k = kids[i]
        if k.tag == "OctetString" and len(k.get("Value")) == 12 and i + 1 < len(kids):
            reg = {"obis": ".".join(str(b) for b in bytes.fromhex(k.get("Value"))), **value_of(kids[i + 1])}
            su = scaler_unit(kids[i + 2]) if i + 2 < len(kids) else None
            if su:
                reg["scaler"], reg["unit"] = su
                i += 1
            out.append(reg)
            i += 2
        elif k.tag in ("Structure", "Array"):
            registers(k, out)
            i += 1
        else:
            i += 1


def main():
    t = GXDLMSTranslator(TranslatorOutputType.SIMPLE_XML)
    out = []
    for name, source, apdu in PUSHES:
        given = apdu
        if apdu[10:14].lower() == "090c":
            # gurux rejects the Kaifa header date-time sent as a tagged octet-string
            # ("Invalid data type"); it translates the standard form 0C <12 bytes>
            given = apdu[:10] + apdu[12:]
        xml = t.pduToXml(GXByteBuffer(bytes.fromhex(given)))
        root = ET.fromstring(xml)
        body = root.find("NotificationBody/DataValue")
        top = body[0]
        regs = []
        registers(top, regs)
        vals = [value_of(c) for c in leaves(top)]
        out.append({"name": name, "source": source, "apdu": apdu.lower(), "registers": regs, "values": vals})
    with open(sys.argv[1], "w") as f:
        json.dump({"generator": "gurux-dlms 1.0.203 GXDLMSTranslator.pduToXml via dlms-cosem/oracle/readings_oracle.py",
                   "pushes": out}, f, indent=1, sort_keys=True)
        f.write("\n")


main()
