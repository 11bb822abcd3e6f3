"""A small shop for Sonde's Python tests: functions, locals of many kinds, a loop. Line numbers matter to the tests."""
import sys


class Item:
    def __init__(self, sku, quantity, price):
        self.sku = sku
        self.quantity = quantity
        self.price = price


def subtotal(items):
    total = 0.0
    for item in items:
        total += item.quantity * item.price
    return total


def price(items, rate):
    base = subtotal(items)
    skus = [item.sku for item in items]
    counts = {item.sku: item.quantity for item in items}
    note = "it's \"fine\"\n"
    nothing = None
    paid = False
    discount = base * rate
    return base - discount


def checkpoint(n):
    square = n * n
    return square


def main(args):
    rate = float(args[0]) if args else 0.1
    items = [Item("mug", 2, 7.25), Item("tea", 1, 4.5)]
    total = price(items, rate)
    print("total", round(total, 2), flush=True)
    for n in range(5):
        checkpoint(n)
    print("done", flush=True)


main(sys.argv[1:])
