package dev.sonde.dashboard.web;

import dev.sonde.core.error.SondeException;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The dashboard's secret: the page can change settings inside services, so every request must carry it —
 * in the URL on the first visit (which sets a cookie), then in the cookie, or in a header for scripts.
 */
public final class AccessToken {

    public static final String COOKIE = "sonde_dashboard";
    public static final String HEADER = "X-Sonde-Token";
    public static final String QUERY = "token";

    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    public static AccessToken random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /**
     * The token kept in {@code file}, made (random, readable and writable by this user only) when the file does not
     * exist yet: a token that outlives restarts, for a Prometheus config.
     *
     * @throws SondeException with one sentence when the file cannot be read or made, or holds no token
     */
    public static AccessToken inFile(Path file) {
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (kept.length() < 16 || kept.chars().anyMatch(Character::isWhitespace)) {
                    throw SondeException.invalidInput("The token file " + file + " holds no usable token (16 or more characters, "
                            + "no spaces); delete it and a new one is made.");
                }
                return new AccessToken(kept);
            }
            AccessToken made = random();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, made.value() + "\n", StandardCharsets.UTF_8);
            return made;
        } catch (IOException | UnsupportedOperationException e) {
            throw SondeException.invalidInput("Cannot read or make the token file " + file + " (" + e.getMessage()
                    + "); check the path in dashboard.scrapeTokenFile.");
        }
    }

    public static AccessToken of(String value) {
        return new AccessToken(value);
    }

    public String value() {
        return value;
    }

    /** Whether this request carries the token in its cookie, header (or Bearer authorization) or query. */
    boolean admits(Context ctx) {
        String authorization = ctx.header("Authorization");
        String bearer = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : null;
        return matches(ctx.cookie(COOKIE)) || matches(ctx.header(HEADER)) || matches(bearer) || matches(ctx.queryParam(QUERY));
    }

    public boolean matches(String offered) {
        return offered != null && MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
