"""Compare the facts of a database before and after a migration (see bin/migration-check).

Every count, permission, content type and anchor must be equal; tables that exist only after
the migration must be empty. Models added since the old layout bring their own content types
and model permissions: those two tables may grow, but every old row must stay as it was.
Exits 1 naming each difference."""

import json
import sys

# Tables that new models add rows to (one content type and four permissions per model).
MAY_GROW = {"auth.permission", "contenttypes.contenttype"}


def differences(before: dict, after: dict) -> list[str]:
    problems = []
    for table, count in sorted(before["counts"].items()):
        found = after["counts"].get(table)
        if found != count and not (table in MAY_GROW and found is not None and found > count):
            problems.append(f"{table}: {found} rows after, {count} before")
    for table, count in sorted(after["counts"].items()):
        if table not in before["counts"] and count:
            problems.append(f"{table}: {count} rows in a table the old layout did not have")
    lost = {tuple(ct) for ct in before["content_types"]} - {
        tuple(ct) for ct in after["content_types"]
    }
    if lost:
        problems.append(f"content types changed; missing or renumbered: {sorted(lost)}")
    for kind, rows in before["permissions"].items():
        gone = {tuple(r) for r in rows} - {tuple(r) for r in after["permissions"][kind]}
        if gone:
            problems.append(f"{kind}: {len(gone)} lost, e.g. {sorted(gone)[:3]}")
    anchors_after = {row[0]: row for row in after["anchors"]}
    for row in before["anchors"]:
        if anchors_after.get(row[0]) != row:
            problems.append(f"comment {row[0]}: {row} became {anchors_after.get(row[0])}")
    return problems


def main() -> int:
    with open(sys.argv[1]) as old, open(sys.argv[2]) as new:
        before, after = json.load(old), json.load(new)
    problems = differences(before, after)
    for problem in problems:
        print(problem, file=sys.stderr)
    rows = sum(before["counts"].values())
    if problems:
        return 1
    print(
        f"equal: {rows} rows in {len(before['counts'])} tables, "
        f"{sum(len(v) for v in before['permissions'].values())} permissions, "
        f"{len(before['content_types'])} content types, {len(before['anchors'])} comments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
