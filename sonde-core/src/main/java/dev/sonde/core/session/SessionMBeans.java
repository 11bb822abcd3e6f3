package dev.sonde.core.session;

/**
 * The JMX names under which every Sonde process publishes its debug sessions (see {@link SessionPublisher}).
 * Readers (the dashboard, any JMX client) use exactly these; {@link PublishedSessions#parse} reads the JSON.
 */
public final class SessionMBeans {

    /** The MBean, registered in the platform MBeanServer once the process has had a session. */
    public static final String NAME = "dev.sonde:type=Sessions";

    /** Operation without arguments returning the sessions as JSON ({@link PublishedSessions}). */
    public static final String SESSIONS_JSON = "sessionsJson";

    /** Attribute (Integer): how many sessions are live, not counting the ended ones still listed. */
    public static final String SESSION_COUNT = "SessionCount";

    private SessionMBeans() {
    }
}
