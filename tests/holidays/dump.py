#!/usr/bin/env python3
"""Dumps public holidays from the PyPI `holidays` package, the independent
source Rightsdesk's calendars are cross-checked against.

    python3 tests/holidays/dump.py JURISDICTION[,JURISDICTION...] YEAR [YEAR...]
    python3 tests/holidays/dump.py --rust-table SG 2015-2040
    python3 tests/holidays/dump.py --rust-tables ES-AN,ES-AR,... 2015-2040

Jurisdictions are Rightsdesk's ISO 3166 codes (DE, GB-ENG, US-CA, CA-QC, ...);
years may be ranges (2015-2040). Prints `#version X` then one line per
holiday: `CODE<TAB>YYYY-MM-DD<TAB>name`. Install the pinned package with
`pip install -r tests/holidays/requirements.txt`.
"""
import json
import sys

try:
    import holidays
except ImportError:
    sys.stderr.write(
        "the Python package `holidays` is missing: pip install -r tests/holidays/requirements.txt\n"
    )
    sys.exit(3)

# Rightsdesk code -> (country, subdivision, extra keyword arguments)
SPECIAL = {
    "GB-ENG": ("GB", "ENG", {}),
    "GB-WLS": ("GB", "WLS", {}),
    "GB-SCT": ("GB", "SCT", {}),
    "GB-NIR": ("GB", "NIR", {}),
    "US-CA": ("US", "CA", {}),
    "CA-QC": ("CA", "QC", {}),
    # Sweden's calendar in the package counts every Sunday as a holiday by default.
    "SE": ("SE", None, {"include_sundays": False}),
}


def years_of(args):
    out = []
    for a in args:
        if "-" in a:
            lo, hi = a.split("-", 1)
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(a))
    return out


def calendar(code, years):
    default = (code.split("-", 1)[0], code.split("-", 1)[1], {}) if "-" in code else (code, None, {})
    country, subdiv, extra = SPECIAL.get(code, default)
    return holidays.country_holidays(country, subdiv=subdiv, years=years, **extra)


def main(argv):
    if len(argv) >= 3 and argv[0] == "--rust-table":
        code, years = argv[1], years_of(argv[2:])
        for d, name in sorted(calendar(code, years).items()):
            print(f"    ({d.year}, {d.month}, {d.day}, {json.dumps(name, ensure_ascii=False)}),")
        return 0
    if len(argv) >= 3 and argv[0] == "--rust-tables":
        # One `pub(crate) const ES_MD: &[(i32, u32, u32, &str)]` per code, for a generated module.
        codes, years = argv[1].split(","), years_of(argv[2:])
        for code in codes:
            print(f"pub(crate) const {code.replace('-', '_')}: &[(i32, u32, u32, &str)] = &[")
            for d, name in sorted(calendar(code, years).items()):
                print(f"    ({d.year}, {d.month}, {d.day}, {json.dumps(name, ensure_ascii=False)}),")
            print("];\n")
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    codes, years = argv[0].split(","), years_of(argv[1:])
    print(f"#version {holidays.__version__}")
    for code in codes:
        for d, name in sorted(calendar(code, years).items()):
            print(f"{code}\t{d.isoformat()}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
