package dev.sonde.dashboard.report;

import dev.sonde.dashboard.web.Assets;
import dev.sonde.dashboard.web.DashboardJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as one HTML file that needs nothing else: the page's style and rendering code (render.js),
 * uPlot and the report's data are all inlined, and a Content-Security-Policy forbids any request, so it
 * opens offline, attached to a ticket or mailed, years later.
 */
final class ReportHtml {

    private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");
    private static final Pattern SCRIPT_END = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE_END = Pattern.compile("</(style)", Pattern.CASE_INSENSITIVE);
    /** uPlot's licence banner names its home page by URL; the report keeps the credit without a link to elsewhere. */
    private static final String UPLOT_BANNER = "/*! https://github.com/leeoniya/uPlot (v" + Assets.UPLOT_VERSION + ") */";
    private static final String UPLOT_CREDIT = "/*! uPlot v" + Assets.UPLOT_VERSION + ", MIT licence, (c) Leon Sorokin: github.com/leeoniya/uPlot */";

    private ReportHtml() {
    }

    static String render(Report report) {
        Map<String, String> slots = Map.of(
                "TITLE", escapeHtml(report.fileName("html")),
                "UPLOT_CSS", style(Assets.text("uPlot.min.css")),
                "APP_CSS", style(Assets.text("app.css")),
                "REPORT_CSS", style(resource("report.css")),
                "DATA", data(report),
                "UPLOT_JS", script(Assets.text("uPlot.iife.min.js").replace(UPLOT_BANNER, UPLOT_CREDIT)),
                "RENDER_JS", script(Assets.text("render.js")),
                "REPORT_JS", script(resource("report.js")));
        String template = resource("report.html");
        Matcher slot = SLOT.matcher(template);
        StringBuilder html = new StringBuilder(template.length() + slots.values().stream().mapToInt(String::length).sum());
        while (slot.find()) {
            String value = slots.get(slot.group(1));
            if (value == null) {
                throw new IllegalStateException("report.html has an unknown slot " + slot.group() + "; rebuild Sonde.");
            }
            slot.appendReplacement(html, Matcher.quoteReplacement(value));
        }
        slot.appendTail(html);
        return html.toString();
    }

    /**
     * The report's JSON for a {@code <script type="application/json">} element: every {@code <} written as
     * {@code \u003c} (only strings can hold one), so no value can close the element or open a comment.
     */
    static String data(Report report) {
        return DashboardJson.write(report.toJsonTree()).replace("<", "\\u003c");
    }

    private static String script(String code) {
        return SCRIPT_END.matcher(code).replaceAll("<\\\\/$1");
    }

    private static String style(String css) {
        return STYLE_END.matcher(css).replaceAll("<\\\\/$1");
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = ReportHtml.class.getResourceAsStream("/dev/sonde/dashboard/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("The report file " + name + " is missing from Sonde's jar; rebuild Sonde.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
