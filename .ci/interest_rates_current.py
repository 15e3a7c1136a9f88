"""Fails when a country a deployment offers statutory interest for has no rate for the current half-year.

The countries come from the template's `StatutoryInterestCountries` default, or from INTEREST_COUNTRIES
when the deployment passes its own (`make lint INTEREST_COUNTRIES=EE,LV`). A country's rates run to the end
of the half-year of its last row; where every change of the central bank's rate starts a period (Romania),
the row must have been checked in the current half-year, as must a country's last ceiling on agreed
interest (CAP rows). `--today YYYY-MM-DD` checks as of another day.
"""

import argparse
import datetime
import os
import sys

from cfnlint.decode import decode

FOLLOWS_EVERY_CHANGE = {"RO"}


def half_year_start(day):
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def last_rows(table_path):
    """Each country's last rate row (its start and check) and the day its last ceiling was checked."""
    last, ceiling_checked = {}, {}
    with open(table_path, encoding="utf-8") as table:
        for line in table:
            if line.startswith("#") or line.startswith("FX\t") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "CAP":
                ceiling_checked[cols[1]] = datetime.date.fromisoformat(cols[5].strip())
                continue
            country, start, _reference, _margin, _source, checked = cols
            last[country] = (datetime.date.fromisoformat(start), datetime.date.fromisoformat(checked.strip()))
    return last, ceiling_checked


def offered(template_path):
    listed = os.environ.get("INTEREST_COUNTRIES")
    if listed is None:
        template, errors = decode(template_path)
        if errors:
            sys.exit(f"{template_path}: {errors[0]}")
        listed = template["Parameters"]["StatutoryInterestCountries"].get("Default", "")
    return [c.strip() for c in listed.split(",") if c.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("table")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    args = parser.parse_args()
    current = half_year_start(args.today)
    last, ceiling_checked = last_rows(args.table)
    problems = []
    for country in offered(args.template):
        if country not in last:
            problems.append(f"{country}: the table has no rates for it")
            continue
        start, checked = last[country]
        if country in FOLLOWS_EVERY_CHANGE:
            if checked < current:
                problems.append(f"{country}: its rate was last checked on {checked}; check it and date the row")
        elif start < current:
            problems.append(f"{country}: its rates end before {current}; add the row for {current}")
        if country in ceiling_checked and ceiling_checked[country] < current:
            problems.append(
                f"{country}: its ceiling on agreed interest was last checked on {ceiling_checked[country]}; "
                "check it and date the rows"
            )
    countries = ", ".join(offered(args.template)) or "none"
    if problems:
        print(f"{args.table}: statutory interest is offered for {countries}, but", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"{args.table}: current for the countries offered ({countries}) on {args.today}")


if __name__ == "__main__":
    main()
