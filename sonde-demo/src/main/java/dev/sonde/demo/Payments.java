package dev.sonde.demo;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.recovery.ErrorClass;
import dev.sonde.runtime.recovery.ErrorClassifier;
import dev.sonde.runtime.recovery.RecoveryPolicy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Charges orders through the flaky {@link PaymentGateway}, retrying what is worth retrying. */
final class Payments {

    private final PaymentGateway gateway;
    private final Operations operations;
    private final RecoveryPolicy<PricedOrder> retries;

    Payments(SondeRuntime sonde) {
        this.gateway = new PaymentGateway(sonde.resources());
        this.operations = sonde.operations();
        this.retries = sonde.recovery().<PricedOrder>policy("payments")
                .classifier(ErrorClassifier.defaults().with(PaymentGateway.GatewayBusyException.class, ErrorClass.TRANSIENT))
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(20))
                .build();
    }

    PricedOrder pay(PricedOrder priced) {
        AtomicInteger attempts = new AtomicInteger();
        return retries.get(() -> operations.track("payment.charge", () -> charge(priced, attempts.incrementAndGet())));
    }

    private PricedOrder charge(PricedOrder priced, int attempt) {
        PaymentGateway.Session session = gateway.open(priced.order(), attempt);
        try {
            session.charge(priced.total());
        } catch (PaymentGateway.GatewayBusyException busy) {
            session.close();
            throw busy;
        }
        // The bug `sonde inspect` finds: a time-out leaves by neither close, and the session leaks.
        session.close();
        return priced;
    }
}
