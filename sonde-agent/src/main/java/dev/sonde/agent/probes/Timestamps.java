package dev.sonde.agent.probes;

import java.time.Instant;

/**
 * An instant written as {@link Instant#toString} writes it, without its formatter on every hit: the text up to the
 * second is made once a second, the fraction (3, 6 or 9 digits, none when zero) appended by hand.
 */
final class Timestamps {

    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    static void append(Instant instant, StringBuilder out) {
        long second = instant.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            String whole = Instant.ofEpochSecond(second).toString();
            cached = new Second(second, whole.substring(0, whole.length() - 1));
            last = cached;
        }
        out.append(cached.text());
        int nano = instant.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3, out);
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, 6, out);
            } else {
                digits(nano, 9, out);
            }
        }
        out.append('Z');
    }

    private static void digits(int value, int width, StringBuilder out) {
        for (int scale = (int) Math.pow(10, width - 1); scale > 0; scale /= 10) {
            out.append((char) ('0' + value / scale % 10));
        }
    }
}
