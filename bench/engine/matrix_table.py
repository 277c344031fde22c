"""Turns matrix.sh's raw figures (one line per run: shape rows tool wall user sys peak_kb, and
`#` lines with the load average) into the markdown table of bench/README.md.

    /usr/bin/python3 bench/engine/matrix_table.py bench/.data/matrix-STAMP.txt
"""

import collections
import statistics
import sys

TARGET_SPEEDUP = 5.0
TARGET_FLOOR = 2.0
TARGET_SCALE = 10.0
TARGET_MEMORY = 0.5


def main() -> None:
    runs = collections.defaultdict(list)
    loads = collections.defaultdict(list)
    notes = {}
    order = []
    for line in open(sys.argv[1]):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "#":
            # "# shape rows load a b c at hh:mm:ss" and "# shape rows done, load a b c at ..."
            if parts[3] == "note:":
                notes[(parts[1], int(parts[2]))] = " ".join(parts[4:])
                continue
            i = parts.index("load")
            loads[(parts[1], int(parts[2]))].append(f"{parts[i + 1]} at {parts[-1]}")
            continue
        shape, rows, tool, wall, user, sys_, kb = parts
        key = (shape, int(rows))
        if key not in order:
            order.append(key)
        runs[key + (tool,)].append((float(wall), float(user) + float(sys_), int(kb) / 1024))

    def med(key, tool, field):
        values = runs.get(key + (tool,))
        if not values:
            return None
        if field == 2:
            return max(v[2] for v in values)
        return statistics.median(v[field] for v in values)

    def fmt(x, unit="", digits=2):
        return "—" if x is None else f"{x:.{digits}f}{unit}"

    def mark(ok):
        return "" if ok is None else (" ✓" if ok else " ✗")

    print("| shape | rows | floor wall (s) | floor CPU (s) | assay wall (s) | assay CPU (s) | assay peak (MiB) | Python wall (s) | Python CPU (s) | Python peak (MiB) | speed-up vs Python (≥ 5) | × floor (≤ 2) | memory vs Python (< 0.5) | 10M / 1M (< 10) | runs | load (start → end) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key in order:
        shape, rows = key
        floor = med(key, "floor", 0)
        assay = med(key, "assay", 0)
        cpu = med(key, "assay", 1)
        peak = med(key, "assay", 2)
        py = med(key, "python", 0)
        floor_cpu = med(key, "floor", 1)
        py_cpu = med(key, "python", 1)
        py_peak = med(key, "python", 2)
        speed = py / assay if py and assay else None
        over_floor = assay / floor if assay and floor else None
        memory = peak / py_peak if peak and py_peak else None
        small = [k for k in order if k[0] == shape and k[1] * 10 == rows]
        scale = None
        if small:
            base = med(small[0], "assay", 0)
            scale = assay / base if assay and base else None
        n = len(runs.get(key + ("assay",), []))
        print(
            f"| {shape} | {rows:,} | {fmt(floor)} | {fmt(floor_cpu)} | {fmt(assay)} | {fmt(cpu)} | {fmt(peak, digits=0)} | {fmt(py)} | {fmt(py_cpu)} | {fmt(py_peak, digits=0)} "
            f"| {fmt(speed, '×', 1)}{mark(None if speed is None else speed >= TARGET_SPEEDUP)} "
            f"| {fmt(over_floor, '×', 1)}{mark(None if over_floor is None else over_floor <= TARGET_FLOOR)} "
            f"| {fmt(memory)}{mark(None if memory is None else memory < TARGET_MEMORY)} "
            f"| {fmt(scale, '×', 1)}{mark(None if scale is None else scale < TARGET_SCALE)} "
            f"| {n} | {' → '.join(loads.get(key, []))} |"
        )


    for (shape, rows), note in notes.items():
        print(f"\n{shape} at {rows:,} rows: {note}")


if __name__ == "__main__":
    main()
