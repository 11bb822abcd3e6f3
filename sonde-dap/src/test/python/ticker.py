"""Ticks for Sonde's Python tests until it has ticked the given number of times (default: about a minute's worth)."""
import sys
import time


def tick(n):
    label = "tick %d" % n
    return label


count = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
print("ticker started", flush=True)
for n in range(count):
    tick(n)
    time.sleep(0.05)
print("ticker done", flush=True)
