package dev.sonde.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files the page is made of, read once from Sonde's own jar: the page, its script and style, and uPlot
 * from its WebJar. Nothing is loaded from the internet, so the page and the reports work offline.
 */
public final class Assets {

    public static final String UPLOT_VERSION = "1.6.30";
    private static final String WEB = "/dev/sonde/dashboard/web/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

    /** Path under /assets/ → classpath resource and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "index.html", new String[] {WEB + "index.html", "text/html; charset=utf-8"},
            "app.js", new String[] {WEB + "app.js", "text/javascript; charset=utf-8"},
            "render.js", new String[] {WEB + "render.js", "text/javascript; charset=utf-8"},
            "app.css", new String[] {WEB + "app.css", "text/css; charset=utf-8"},
            "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Assets() {
    }

    public static boolean exists(String name) {
        return FILES.containsKey(name);
    }

    public static String contentType(String name) {
        return FILES.get(name)[1];
    }

    public static byte[] bytes(String name) {
        return CACHE.computeIfAbsent(name, key -> {
            String[] file = FILES.get(key);
            if (file == null) {
                throw new IllegalArgumentException("No dashboard asset is named " + key + ".");
            }
            try (InputStream in = Assets.class.getResourceAsStream(file[0])) {
                if (in == null) {
                    throw new IllegalStateException("The dashboard asset " + file[0] + " is missing from Sonde's jar; rebuild Sonde.");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
