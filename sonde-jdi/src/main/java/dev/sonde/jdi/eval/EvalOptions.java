package dev.sonde.jdi.eval;

import dev.sonde.core.error.SondeException;

import java.time.Duration;
import java.util.Objects;

/**
 * How an evaluation may act on the target.
 *
 * @param allowInvoke   whether it may run code in the target: method calls, {@code new}, {@code toString} in a string
 *                      concatenation, boxing; when false, an expression that would need to fails saying so
 * @param invokeTimeout how long one call into the target may take before the evaluation gives up on it
 */
public record EvalOptions(boolean allowInvoke, Duration invokeTimeout) {

    public static final EvalOptions DEFAULT = new EvalOptions(true, Duration.ofSeconds(2));
    public static final EvalOptions NO_INVOKE = new EvalOptions(false, DEFAULT.invokeTimeout());

    public EvalOptions {
        Objects.requireNonNull(invokeTimeout, "invokeTimeout");
        if (invokeTimeout.isNegative() || invokeTimeout.isZero()) {
            throw SondeException.invalidInput("The invoke timeout must be positive, not " + invokeTimeout + "; 2 s is the default.");
        }
    }
}
