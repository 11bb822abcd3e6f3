package dev.sonde.demo;

import java.util.Map;

/** Works out what an order costs: subtotal, a loyalty discount, and the total. */
final class Pricing {

    private static final Map<String, Double> LOYALTY = Map.of("ada", 0.10, "grace", 0.05, "linus", 0.15);

    PricedOrder price(Order order) {
        double subtotal = 0;
        for (Order.LineItem item : order.items()) {
            subtotal += item.quantity() * item.unitPrice();
        }
        double rate = LOYALTY.getOrDefault(order.customer(), 0.0);
        double discount = Math.round(subtotal * rate * 100) / 100.0; // demo: breakpoint
        double total = subtotal - discount;
        return new PricedOrder(order, subtotal, discount, total);
    }
}
