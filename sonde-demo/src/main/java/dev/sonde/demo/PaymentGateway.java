package dev.sonde.demo;

import dev.sonde.runtime.resources.ResourceHandle;
import dev.sonde.runtime.resources.Resources;

import java.util.Locale;

/**
 * The payment provider, a remote service, and a flaky one: it times out on the first try for one
 * order in ten and is busy now and then. Which calls fail depends only on the order and the attempt,
 * so every run tells the same story. Every call works in a session that must be closed.
 */
final class PaymentGateway {

    private final Resources resources;

    PaymentGateway(Resources resources) {
        this.resources = resources;
    }

    /** Opens a session for one attempt to charge an order; Sonde tracks it as a resource of type "session". */
    Session open(Order order, int attempt) {
        Session session = new Session(order.id(), attempt);
        session.handle = resources.register("session", session);
        return session;
    }

    /** A connection to the provider for one charge. */
    static final class Session implements AutoCloseable {
        private final long orderId;
        private final int attempt;
        private ResourceHandle handle;

        private Session(long orderId, int attempt) {
            this.orderId = orderId;
            this.attempt = attempt;
        }

        void charge(double amount) {
            pause(5);
            if (attempt == 1 && orderId % 10 == 1) {
                throw new GatewayTimeoutException("the payment provider did not answer within 5 ms for order " + orderId);
            }
            if (attempt == 1 && orderId % 4 == 3 || attempt == 2 && orderId % 8 == 7) {
                throw new GatewayBusyException("the payment provider is busy and did not charge "
                        + String.format(Locale.ROOT, "%.2f", amount) + " for order " + orderId);
            }
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    /** The provider did not answer in time (the runtime's error classifier counts any *TimeoutException as transient). */
    static final class GatewayTimeoutException extends RuntimeException {
        GatewayTimeoutException(String message) {
            super(message);
        }
    }

    /** The provider asked to be called again later. */
    static final class GatewayBusyException extends RuntimeException {
        GatewayBusyException(String message) {
            super(message);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
