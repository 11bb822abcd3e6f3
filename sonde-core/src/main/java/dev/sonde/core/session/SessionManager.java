package dev.sonde.core.session;

import dev.sonde.core.backend.Connector;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one Sonde process. Sessions are independent; the manager only finds them by id and
 * forgets them when they end.
 */
public final class SessionManager implements AutoCloseable {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Session open(String name, Connector connector, SessionOptions options) {
        Session session = Session.open(name, connector, options);
        sessions.put(session.id(), session);
        session.terminated().whenComplete((t, e) -> sessions.remove(session.id()));
        return session;
    }

    public List<Session> sessions() {
        return sessions.values().stream()
                .sorted((a, b) -> Long.compare(Long.parseLong(a.id()), Long.parseLong(b.id())))
                .toList();
    }

    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public Session get(String id) {
        return find(id).orElseThrow(() -> SondeException.notFound("There is no session " + id + "; list the live ones first."));
    }

    /** Closes every session (detaching from or terminating each target per its options). */
    @Override
    public void close() {
        sessions().parallelStream().forEach(Session::close);
    }
}
