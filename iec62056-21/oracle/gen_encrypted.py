#!/usr/bin/env python3
"""Builds the encrypted P1 test frames (general-glo-ciphering, AES-128-GCM, 12-byte tag)
with the `cryptography` package and checks each one with dsmr-parser 1.11.2.

Frame: DB 08 <system title> <A-XDR length: 82 hi lo | 81 n> 30 <IC, 4 bytes BE> <ciphertext> <tag 12>
IV = system title || IC; AAD = 0x30 || AK (Luxmetering E-Meter P1 Specification v1.1.3 §3.2.5,
as dsmr_parser's MSN profile and test/test_parse_sagemcom_t210_d_r.py build it).

Writes tests/data/encrypted/<name>.hex (one line of hex) and <name>.json (keys, fields).
Usage: /work/venv/bin/python oracle/gen_encrypted.py [--check]
"""
import json, pathlib, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from dsmr_parser import telegram_specifications as ts
from dsmr_parser.parsers import TelegramParser

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
PUBLIC_AK = "00112233445566778899AABBCCDDEEFF"


def frame(plain, ek, ak, title, ic):
    aad = b"\x30" + bytes.fromhex(ak)
    iv = title + ic.to_bytes(4, "big")
    ct_tag = AESGCM(bytes.fromhex(ek)).encrypt(iv, plain, aad)
    ct, tag = ct_tag[:-16], ct_tag[-16:-4]  # GCM tags truncate to their prefix
    body = b"\x30" + ic.to_bytes(4, "big") + ct + tag
    n = len(body)
    length = bytes([n]) if n < 0x80 else (b"\x81" + bytes([n]) if n < 0x100 else b"\x82" + n.to_bytes(2, "big"))
    return b"\xdb\x08" + title + length + body


def cases():
    t210 = (DATA / "dsmr_parser" / "TELEGRAM_SAGEMCOM_T210_D_R.txt").read_bytes()
    small = (b"/KFM5KAIFA-METER\r\n\r\n1-3:0.2.8(42)\r\n0-0:1.0.0(161113205757W)\r\n"
             b"1-0:1.8.1(001581.123*kWh)\r\n1-0:1.8.2(001435.706*kWh)\r\n1-0:1.7.0(02.027*kW)\r\n!")
    crc = 0
    for b in small:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    small += b"%04X\r\n" % crc
    return {
        # dsmr_parser test_parse_sagemcom_t210_d_r.py: EK AA.., AK BB.., title SYSTEMID, IC 10000001
        "t210_dsmr_parser_keys": (t210, "AA" * 16, "BB" * 16, b"SYSTEMID", 0x10000001, "SAGEMCOM_T210_D_R"),
        # the same plaintext with the public Smarty AK (dsmr_parser MSN profile)
        "t210_public_ak": (t210, "AA" * 16, PUBLIC_AK, b"SYSTEMID", 0x10000001, "MSN"),
        # a short telegram: A-XDR length in the 0x81 form
        "short_81_form": (small, "000102030405060708090A0B0C0D0E0F", PUBLIC_AK, b"SAG\x01\x02\x03\x04\x05", 7, "MSN"),
    }


def main():
    check = "--check" in sys.argv
    bad = 0
    out = DATA / "encrypted"
    out.mkdir(exist_ok=True)
    for name, (plain, ek, ak, title, ic, profile) in cases().items():
        f = frame(plain, ek, ak, title, ic)
        parser = TelegramParser(getattr(ts, profile))
        t = parser.parse(f.hex(), ek, ak if ak != PUBLIC_AK else "")
        meta = {"ek": ek, "ak": ak, "system_title": title.hex(), "invocation_counter": ic,
                "plaintext_len": len(plain), "dsmr_parser_profile": profile,
                "dsmr_parser_objects": len(t)}
        hexfile, jsonfile = out / (name + ".hex"), out / (name + ".json")
        res = (f.hex() + "\n", json.dumps(meta, indent=1, sort_keys=True) + "\n")
        if check:
            if hexfile.read_text() != res[0] or jsonfile.read_text() != res[1]:
                print("DIFFERS:", name)
                bad += 1
        else:
            hexfile.write_text(res[0])
            jsonfile.write_text(res[1])
    print(f"{len(cases())} encrypted frames, {bad} differences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
