package dev.sonde.demo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Stock levels; reserving takes a little time, as a call to another service would. */
final class Inventory {

    private final ConcurrentMap<String, Integer> stock = new ConcurrentHashMap<>();

    Inventory() {
        for (String sku : OrderService.CATALOGUE.keySet()) {
            stock.put(sku, 1_000);
        }
    }

    PricedOrder reserve(PricedOrder priced) {
        for (Order.LineItem item : priced.order().items()) {
            int left = stock.merge(item.sku(), -item.quantity(), Integer::sum);
            if (left < 0) {
                stock.merge(item.sku(), item.quantity(), Integer::sum);
                throw new IllegalStateException("out of " + item.sku());
            }
        }
        pause(20);
        return priced;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
