"""Reads a CSV file with Python's csv module, or an XLSX workbook with
openpyxl, and prints its rows as JSON: an independent reading of what
cyberkg's `table`, `query -r xlsx` and `export --format text` write, which
the Rust tests compare cell by cell with the graph.

Usage: spreadsheet_read.py csv FILE | xlsx FILE

CSV cells are strings. XLSX cells are what openpyxl reads: strings,
numbers (int when whole), or null for an empty cell; the output also
names the sheets and the workbook's creation date, so a test can check
that the date is the fixed one and not the clock's.
"""

import csv
import json
import sys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {"rows": list(csv.reader(handle, strict=True))}


def read_xlsx(path):
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=False)
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for value in row:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cells.append(value)
        rows.append(cells)
    created = workbook.properties.created
    return {
        "sheets": workbook.sheetnames,
        "created": created.isoformat() if created else None,
        "rows": rows,
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("csv", "xlsx"):
        sys.exit(__doc__)
    kind, path = sys.argv[1], sys.argv[2]
    table = read_csv(path) if kind == "csv" else read_xlsx(path)
    json.dump(table, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
