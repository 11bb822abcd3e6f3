package dev.sonde.dashboard.web;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
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
