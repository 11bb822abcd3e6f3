package dev.sonde.demo;

/** An order with its money worked out. */
public record PricedOrder(Order order, double subtotal, double discount, double total) {
}
