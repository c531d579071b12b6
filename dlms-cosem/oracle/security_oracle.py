#!/usr/bin/env python3
"""Oracle for meterwire-dlms-cosem's security module (issue 7).

Builds the security test vectors with two independent implementations and
writes them to dlms-cosem/tests/vectors/security/vectors.json:

* PyPI `cryptography` (OpenSSL AES-GCM / AES-CTR), driven by the byte layout of
  the Green Book written out below, produces every ciphered APDU and plaintext;
* gurux-dlms (PyPI, GPL, used only as an external program) decrypts the same
  APDUs with GXDLMSTranslator and computes HLS-GMAC with GXSecure; its results
  are recorded next to each vector ("gurux": "agree" / "n/a: why").

Real pushes (published with their keys) are read from the *.hex files in the
same folder (sources in SOURCES.md); their plaintext is recomputed here.

Usage:  security_oracle.py            regenerate vectors.json
        security_oracle.py --check    regenerate in memory and diff against the
                                      committed file (exit 1 on any difference)
"""
import json
import os
import re
import sys
import types

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = os.path.dirname(os.path.abspath(__file__))
VEC = os.path.join(HERE, "..", "tests", "vectors", "security")

GB_EK = bytes(range(0x00, 0x10))
GB_AK = bytes(range(0xD0, 0xE0))
GB_EK256 = bytes(range(0x00, 0x20))
GB_AK256 = bytes(range(0xD0, 0xF0))
GB_ST = bytes.fromhex("4D4D4D0000BC614E")
GB_IC = 0x01234567
# Green Book 9.2.7.2.4 example: get-request-normal for the clock (0-0:1.0.0.255, attribute 2)
GB_GET = bytes.fromhex("C0010000080000010000FF0200")
BROADCAST_KEY = bytes.fromhex("F0E1D2C3B4A5968778695A4B3C2D1E0F")
DEDICATED_KEY = bytes.fromhex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF")


def axdr_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    if n < 0x10000:
        return bytes([0x82, n >> 8, n & 0xFF])
    return bytes([0x84]) + n.to_bytes(4, "big")


def octets(b):
    return axdr_len(len(b)) + b


def gcm_seal(key, iv, aad, pt):
    e = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    e.authenticate_additional_data(aad)
    ct = e.update(pt) + e.finalize()
    return ct, e.tag[:12]


def ctr(key, iv, data):
    return Cipher(algorithms.AES(key), modes.CTR(iv + b"\x00\x00\x00\x02")).encryptor().update(data)


def protect(sc, key, ak, st, ic, pt, extra_aad=b""):
    """SC || IC || protected payload (Green Book 9.2.7.2.4)."""
    iv = st + ic.to_bytes(4, "big")
    hdr = bytes([sc]) + ic.to_bytes(4, "big")
    auth, enc = sc & 0x10, sc & 0x20
    if auth and enc:
        ct, tag = gcm_seal(key, iv, bytes([sc]) + ak + extra_aad, pt)
        return hdr + ct + tag
    if auth:
        _, tag = gcm_seal(key, iv, bytes([sc]) + ak + extra_aad + pt, b"")
        return hdr + pt + tag
    if enc:
        return hdr + ctr(key, iv, pt)
    return hdr + pt


def glo_tag(plain_tag, ded):
    if 0xC0 <= plain_tag <= 0xC7:
        return plain_tag + (0x10 if ded else 0x08)
    return plain_tag + (0x40 if ded else 0x20)


def service(pt, sc, key, ak, st, ic, ded=False):
    content = protect(sc, key, ak, st, ic, pt)
    return bytes([glo_tag(pt[0], ded)]) + octets(content)


def general(pt, sc, key, ak, st, ic, ded=False):
    content = protect(sc, key, ak, st, ic, pt)
    return bytes([0xDC if ded else 0xDB]) + octets(st) + octets(content)


def general_ciphering(pt, sc, key, ak, st, ic, tid, recipient, date_time=b"", other=b"", key_id=0):
    # AAD fields (A-XDR encoded) only for suites 1/2 with a recipient title (as Gurux does).
    fields = [tid, st, recipient, date_time, other]
    extra = b"".join(octets(f) for f in fields) if (sc & 0x0F) != 0 and recipient else b""
    content = protect(sc, key, ak, st, ic, pt, extra)
    head = bytes([0xDD]) + b"".join(octets(f) for f in fields) + bytes([1, 0, key_id])
    return head + octets(content)


def hls_gmac(ek, ak, suite, st, ic, challenge):
    sc = 0x10 | suite
    _, tag = gcm_seal(ek, st + ic.to_bytes(4, "big"), bytes([sc]) + ak + challenge, b"")
    return bytes([sc]) + ic.to_bytes(4, "big") + tag


# ---------------------------------------------------------------- gurux side
def gurux_decrypt(apdu, key, ak, st, broadcast=None):
    """Plaintext as gurux-dlms's GXDLMSChippering.decryptAesGcm returns it, or None.

    `key` is the key the APDU is protected with (EK, dedicated key); for the
    broadcast bit Gurux reads cipher.broadcastBlockCipherKey.
    """
    try:
        from gurux_dlms import GXByteBuffer
        from gurux_dlms.AesGcmParameter import AesGcmParameter
        from gurux_dlms.GXCiphering import GXCiphering
        from gurux_dlms.GXDLMSChippering import GXDLMSChippering
    except ImportError:
        return None
    import contextlib
    import io

    c = GXCiphering(st)
    c.blockCipherKey = key
    c.authenticationKey = ak or bytes(len(key))
    if broadcast:
        c.broadcastBlockCipherKey = broadcast
    settings = types.SimpleNamespace(cipher=c)
    p = AesGcmParameter(0, st, key, c.authenticationKey)
    p.settings = settings
    p.xml = None
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            return bytes(GXDLMSChippering.decryptAesGcm(settings, p, GXByteBuffer(apdu)))
        except Exception:  # noqa: BLE001 - any failure means "no agreement"
            return None


def gurux_hls(ek, ak, suite, st, ic, challenge):
    try:
        from gurux_dlms.GXSecure import GXSecure
        from gurux_dlms.enums import Authentication
    except ImportError:
        return None
    settings = types.SimpleNamespace(authentication=Authentication.HIGH_GMAC)
    cipher = types.SimpleNamespace(blockCipherKey=ek, authenticationKey=ak, securitySuite=suite)
    return bytes(GXSecure.secure(settings, cipher, ic, challenge, st))


# ---------------------------------------------------------------- vectors
def read_hex(name):
    with open(os.path.join(VEC, name)) as f:
        return bytes.fromhex(re.sub(r"\s", "", f.read()))


def vec(name, source, apdu, plaintext, ek, ak=None, st=None, st_in_apdu=True, **kw):
    v = {
        "name": name,
        "source": source,
        "ek": ek.hex(),
        "ak": ak.hex() if ak else None,
        "system_title": st.hex() if st else None,
        "system_title_in_apdu": st_in_apdu,
        "apdu": apdu.hex(),
        "plaintext": plaintext.hex(),
    }
    v.update(kw)
    return v


def build():
    out = []
    gb = "DLMS UA Green Book 9.2.7.2.4 example (EK 000102..0F, AK D0..DF, ST 4D4D4D0000BC614E, IC 01234567)"
    for sc, mode in [(0x10, "auth"), (0x20, "enc"), (0x30, "auth_enc")]:
        a = service(GB_GET, sc, GB_EK, GB_AK, GB_ST, GB_IC)
        out.append(vec(f"gb_glo_get_request_{mode}_suite0", gb, a, GB_GET, GB_EK, GB_AK, GB_ST, False))
    gen = "generated by oracle/security_oracle.py with PyPI cryptography (Green Book layout)"
    for sc, mode in [(0x12, "auth"), (0x22, "enc"), (0x32, "auth_enc")]:
        a = service(GB_GET, sc, GB_EK256, GB_AK256, GB_ST, GB_IC)
        out.append(vec(f"glo_get_request_{mode}_suite2", gen, a, GB_GET, GB_EK256, GB_AK256, GB_ST, False))
    notif = bytes.fromhex("0F0000000100" "020209060100010800FF06000012D6")
    for sc, mode in [(0x10, "auth"), (0x20, "enc"), (0x30, "auth_enc")]:
        a = general(notif, sc, GB_EK, GB_AK, GB_ST, 0x10)
        out.append(vec(f"general_glo_data_notification_{mode}_suite0", gen, a, notif, GB_EK, GB_AK, GB_ST, True))
    a = general(notif, 0x32, GB_EK256, GB_AK256, GB_ST, 0x11)
    out.append(vec("general_glo_data_notification_auth_enc_suite2", gen, a, notif, GB_EK256, GB_AK256, GB_ST, True))
    a = general(notif, 0x30, DEDICATED_KEY, GB_AK, GB_ST, 0x12, ded=True)
    out.append(vec("general_ded_data_notification_auth_enc_suite0", gen, a, notif, GB_EK, GB_AK, GB_ST, True,
                   dedicated=DEDICATED_KEY.hex()))
    a = service(GB_GET, 0x30, DEDICATED_KEY, GB_AK, GB_ST, 0x13, ded=True)
    out.append(vec("ded_get_request_auth_enc_suite0", gen, a, GB_GET, GB_EK, GB_AK, GB_ST, False,
                   dedicated=DEDICATED_KEY.hex()))
    a = general(notif, 0x70, BROADCAST_KEY, GB_AK, GB_ST, 0x14)
    out.append(vec("general_glo_broadcast_auth_enc_suite0", gen, a, notif, GB_EK, GB_AK, GB_ST, True,
                   broadcast=BROADCAST_KEY.hex()))
    aarq_ui = bytes.fromhex("01000000065F1F0400001E1DFFFF")  # xDLMS InitiateRequest
    a = service(aarq_ui, 0x30, GB_EK, GB_AK, GB_ST, 0x15)
    out.append(vec("glo_initiate_request_auth_enc_suite0", gen, a, aarq_ui, GB_EK, GB_AK, GB_ST, False))
    rec = bytes.fromhex("4D4D4D0000000001")
    tid = bytes.fromhex("0000000000000016")
    a = general_ciphering(GB_GET, 0x30, GB_EK, GB_AK, GB_ST, 0x16, tid, rec)
    out.append(vec("general_ciphering_auth_enc_suite0", gen, a, GB_GET, GB_EK, GB_AK, GB_ST, True))
    a = general_ciphering(GB_GET, 0x32, GB_EK256, GB_AK256, GB_ST, 0x17, tid, rec, bytes.fromhex("07E90B19FF0C000000800000"))
    out.append(vec("general_ciphering_auth_enc_suite2", gen, a, GB_GET, GB_EK256, GB_AK256, GB_ST, True))

    # Real pushes published with their keys.
    evn = read_hex("evn_kaifa_ma309_push.hex")
    ek = bytes.fromhex("36C66639E48A8CA4D6BC8B282A793BBB")
    st = evn[2:10]
    out.append(vec("evn_kaifa_ma309_push", "athombv/node-dsmr-parser tests/telegrams/m-bus/austria-example-1.txt "
                   "(Netz NOe/EVN Kaifa MA309 M-Bus push, key in the file; plaintext = austria-decrypted-1.txt)",
                   evn, ctr(ek, st + evn[13:17], evn[17:]), ek, None, st, True))
    tir = read_hex("tirol_kaifa_push.hex")
    ek = bytes(range(0x10, 0x20))
    st = tir[2:10]
    out.append(vec("tirol_kaifa_push", "fneur/smart-meter-tirol doc/EXAMPLE.md (TINETZ/IKB Kaifa push, "
                   "security suite 1 encryption only, key 101112..1F; plaintext given there)",
                   tir, ctr(ek, st + tir[14:18], tir[18:]), ek, None, st, True))
    lgz = read_hex("lgz_gb_keys_push.hex")
    st = lgz[2:10]
    d = Cipher(algorithms.AES(GB_EK), modes.GCM(st + lgz[12:16], lgz[-12:], min_tag_length=12)).decryptor()
    d.authenticate_additional_data(b"\x30" + GB_AK)
    pt = d.update(lgz[16:-12]) + d.finalize()
    out.append(vec("lgz_gb_keys_push", "public GitHub unity test 'test_decript_hdlc' (Landis+Gyr push, system title "
                   "LGZ00BC614E, Green Book test keys; code-search file id 49250626204)", lgz, pt, GB_EK, GB_AK, st, True))

    for v in out:
        ek = bytes.fromhex(v["ek"])
        ak = bytes.fromhex(v["ak"]) if v["ak"] else None
        st = bytes.fromhex(v["system_title"]) if v["system_title"] else None
        apdu = bytes.fromhex(v["apdu"])
        if apdu[0] == 0xDD:
            v["gurux"] = "n/a: gurux-dlms parses general-ciphering key-info only as agreed-key"
            continue
        key = bytes.fromhex(v["dedicated"]) if "dedicated" in v else ek
        bc = bytes.fromhex(v["broadcast"]) if "broadcast" in v else None
        g = gurux_decrypt(apdu, key, ak, st, bc)
        if g is None:
            v["gurux"] = "no result"
        else:
            v["gurux"] = "agree" if g.hex() == v["plaintext"] else "DISAGREE " + g.hex()

    hls = []
    for suite, ek, ak in [(0, GB_EK, GB_AK), (2, GB_EK256, GB_AK256)]:
        for who, st, ic, ch in [("client_f_stoc", bytes.fromhex("4D4D4D0000000001"), 1, b"P6wRJ21F"),
                                ("server_f_ctos", GB_ST, 0x0123_4567, b"K56iVagY")]:
            r = hls_gmac(ek, ak, suite, st, ic, ch)
            g = gurux_hls(ek, ak, suite, st, ic, ch)
            hls.append({
                "name": f"hls_gmac_{who}_suite{suite}",
                "source": gen,
                "ek": ek.hex(), "ak": ak.hex(), "system_title": st.hex(), "invocation_counter": ic,
                "suite": suite, "challenge": ch.hex(), "response": r.hex(),
                "gurux": "agree" if g == r else ("no result" if g is None else "DISAGREE " + g.hex()),
            })
    return {"apdus": out, "hls_gmac": hls}


def main():
    data = build()
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    path = os.path.join(VEC, "vectors.json")
    agree = sum(1 for v in data["apdus"] + data["hls_gmac"] if v["gurux"] == "agree")
    total = len(data["apdus"]) + len(data["hls_gmac"])
    na = sum(1 for v in data["apdus"] + data["hls_gmac"] if v["gurux"].startswith("n/a"))
    dis = [v["name"] for v in data["apdus"] + data["hls_gmac"] if v["gurux"] not in ("agree",) and not v["gurux"].startswith("n/a")]
    print(f"gurux-dlms agrees on {agree}/{total} vectors ({na} not applicable); others: {dis}")
    if "--check" in sys.argv:
        with open(path) as f:
            old = f.read()
        if old != text:
            print("vectors.json differs from the oracle's output", file=sys.stderr)
            return 1
        print("vectors.json matches the oracle")
        return 1 if dis else 0
    with open(path, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
