"""Async order pricing for Sonde's Python tests: coroutines awaiting coroutines under asyncio. Line numbers matter."""
import asyncio

PRICES = {"mug": 7.25, "tea": 4.5}


async def fetch_price(sku):
    await asyncio.sleep(0.01)
    price = PRICES[sku]
    return price


async def price_order(order_id, skus):
    prices = []
    for sku in skus:
        price = await fetch_price(sku)
        prices.append(price)
    total = sum(prices)
    return total


async def main():
    totals = await asyncio.gather(price_order(1, ["mug", "tea"]), price_order(2, ["tea"]))
    print("totals", totals, flush=True)


asyncio.run(main())
