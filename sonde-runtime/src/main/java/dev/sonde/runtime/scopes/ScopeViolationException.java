package dev.sonde.runtime.scopes;

/** Thrown at a scope's misuse in STRICT mode; the scope stays as it was. */
public final class ScopeViolationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient ScopeViolation violation;

    public ScopeViolationException(ScopeViolation violation) {
        super(violation.describe());
        this.violation = violation;
    }

    public ScopeViolation violation() {
        return violation;
    }
}
