#!/usr/bin/env python3
"""Oracle for meterwire-iec62056-21: runs PyPI dsmr-parser 1.11.2 over every golden
telegram with its profile and writes what it decoded, line by line, to
tests/data/oracle/<file>.json (compared field by field by tests/oracle.rs).

For each object of the profile, exactly like dsmr_parser.parsers.TelegramParser.parse
does, the object's regex is run over the telegram and each match is parsed by the
object's value parser; we record the matched OBIS text and the {value, unit} list.
The full TelegramParser.parse (CRC check included) is also run and its verdict kept.
Datetimes are written in UTC as dsmr_parser returns them (it assumes Europe/Amsterdam).

Usage: /work/venv/bin/python oracle/gen.py          (rewrite the JSON files)
       /work/venv/bin/python oracle/gen.py --check  (live differential: fail on any change)
"""
import datetime, decimal, json, pathlib, sys

from dsmr_parser import telegram_specifications as ts
from dsmr_parser.parsers import TelegramParser
from dsmr_parser.exceptions import InvalidChecksumError, ParseError

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"

# golden file -> dsmr_parser profile
PROFILES = {
    "dsmr_parser/TELEGRAM_V2_2.txt": "V2_2",
    "dsmr_parser/TELEGRAM_V3.txt": "V3",
    "dsmr_parser/TELEGRAM_V4_2.txt": "V4",
    "dsmr_parser/TELEGRAM_V5.txt": "V5",
    "dsmr_parser/TELEGRAM_V5_TWO_MBUS.txt": "V5",
    "dsmr_parser/TELEGRAM_UNPADDED_CRC.txt": "V5",
    "dsmr_parser/TELEGRAM_FLUVIUS_V171.txt": "BELGIUM_FLUVIUS",
    "dsmr_parser/TELEGRAM_FLUVIUS_V171_ALT.txt": "BELGIUM_FLUVIUS",
    "dsmr_parser/TELEGRAM_ESY5Q3DA1004_V304.txt": "Q3D",
    "dsmr_parser/TELEGRAM_ESY5Q3DB1024_V304.txt": "Q3D",
    "dsmr_parser/TELEGRAM_SAGEMCOM_T210_D_R.txt": "SAGEMCOM_T210_D_R_PLAIN",
    "dsmr_parser/TELEGRAM_ISKRA_IE.txt": "ISKRA_IE",
    "dsmr_parser/TELEGRAM_V5_EON_HU.txt": "EON_HUNGARY",
    "node_dsmr_parser/dsmr-2.2-kfm-1.txt": "V2_2",
    "node_dsmr_parser/dsmr-3.0-spec-example.txt": "V3",
    "node_dsmr_parser/dsmr-4.0-isk-2.txt": "V4",
    "node_dsmr_parser/dsmr-4.2-kfm-1.txt": "V4",
    "node_dsmr_parser/dsmr-5.0-isk-1.txt": "V5",
    "node_dsmr_parser/dsmr-5.0-spec-example.txt": "V5",
    "node_dsmr_parser/dsmr-5.0-spec-example-lowercase.txt": "V5",
    "node_dsmr_parser/dsmr-luxembourgh-spec-example.txt": "LUXEMBOURG_SMARTY",
    "node_dsmr_parser/emucs-p1-v2.1.1-spec-example-2.txt": "BELGIUM_FLUVIUS",
    "node_dsmr_parser/kamstrup-OMNIA-e-meter-three-phase.txt": "SWEDEN",
    "node_dsmr_parser/sagemcom-xt211.txt": "V5",
}


def spec(name):
    if name == "SAGEMCOM_T210_D_R_PLAIN":
        s = dict(ts.SAGEMCOM_T210_D_R)
        s["general_global_cipher"] = False
        return s
    return getattr(ts, name)


def plain(v):
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, decimal.Decimal):
        return str(v)
    return str(v)


def run(rel, profile):
    text = (DATA / rel).read_bytes().decode("latin-1")
    sp = spec(profile)
    parser = TelegramParser(sp)
    try:
        parser.parse(text)
        verdict = "ok"
    except InvalidChecksumError:
        verdict = "checksum"
    except ParseError as e:
        verdict = "parse error"
    objects = []
    for obj in sp["objects"]:
        pattern = parser.telegram_specification_regexes[obj["obis_reference"]]
        for match in pattern.findall(text):
            try:
                o = obj["value_parser"].parse(match)
            except Exception as e:  # dsmr_parser logs and skips such lines
                objects.append({"obis": match.split("(")[0], "name": obj["value_name"], "error": type(e).__name__})
                continue
            parts = o if isinstance(o, list) else [o]  # MaxDemandParser gives a list
            objects.append({
                "obis": match.split("(")[0].strip(),
                "name": obj["value_name"],
                "values": [[{"value": plain(x["value"]), "unit": x["unit"]} for x in p.values]
                           for p in parts],
            })
    objects.sort(key=lambda o: (text.find(o["obis"] + "("), o["name"]))
    return {"source": rel, "profile": profile, "dsmr_parser": "1.11.2", "verdict": verdict,
            "objects": objects}


def main():
    check = "--check" in sys.argv
    out = DATA / "oracle"
    out.mkdir(exist_ok=True)
    bad = 0
    for rel, profile in PROFILES.items():
        res = json.dumps(run(rel, profile), indent=1, sort_keys=True) + "\n"
        path = out / (pathlib.Path(rel).stem + ".json")
        if check:
            if not path.exists() or path.read_text() != res:
                print("DIFFERS:", rel)
                bad += 1
        else:
            path.write_text(res)
    print(f"{len(PROFILES)} telegrams, {bad} differences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
