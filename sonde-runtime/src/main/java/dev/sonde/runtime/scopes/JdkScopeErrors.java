package dev.sonde.runtime.scopes;

/**
 * Recognises the JDK's own scope errors by class name: this library compiles for Java 17, where
 * these classes do not exist yet (or are preview APIs).
 */
public final class JdkScopeErrors {

    public static final String WRONG_THREAD = "java.lang.WrongThreadException";
    public static final String STRUCTURE_VIOLATION = "java.util.concurrent.StructureViolationException";

    private JdkScopeErrors() {
    }

    /** The JDK scope error in the throwable or its causes, or null. */
    public static Throwable find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals(WRONG_THREAD) || name.equals(STRUCTURE_VIOLATION)) {
                return t;
            }
        }
        return null;
    }
}
